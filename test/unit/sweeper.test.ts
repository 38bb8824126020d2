import { describe, expect, it } from 'vitest';
import type { IntuneService } from '../../broker/service/service.ts';
import {
  EXPIRED_RECORD_GRACE_MS,
  runSweep,
  SWEEP_INTERVAL_MS,
  Sweeper,
} from '../../broker/service/sweeps.ts';
import { createRng } from '../../sim/prng.ts';
import { DAY_MS } from '../../sim/time-units.ts';

const YEAR_MS = 365 * DAY_MS;

interface FakeDevice {
  id: string;
  identity: { platform: 'windows10' | 'androidDedicated' };
  enrolledAtMs: number;
  lastSyncAtMs: number | null;
  certificateExpiresAtMs: number;
  stuck: boolean;
}

/** The parts of the service the sweep reads, over a fleet of devices some of which stop checking in. */
function fakeService(seed: string) {
  const rng = createRng(seed);
  const devices = new Map<string, FakeDevice>();
  const removed: string[] = [];
  let scans = 0;
  const service = {
    now: 0,
    cleanupDays: 60,
    listDevices() {
      scans++;
      return [...devices.values()];
    },
    certificateExpiresAt: (d: FakeDevice) => d.certificateExpiresAtMs,
    actionsOf: (d: FakeDevice) => (d.stuck ? [{ kind: 'wipe', state: 'pending' }] : []),
    removeRecord(d: FakeDevice, why: string) {
      devices.delete(d.id);
      removed.push(`${service.now / SWEEP_INTERVAL_MS}h ${d.id} ${why}`);
    },
  };
  for (let i = 0; i < 40; i++)
    devices.set(`d${i}`, {
      id: `d${i}`,
      identity: { platform: i % 7 === 0 ? 'androidDedicated' : 'windows10' },
      enrolledAtMs: 0,
      lastSyncAtMs: null,
      // The stuck ones' certificates ran out long ago: D-8 removes them over the weeks.
      certificateExpiresAtMs: i % 3 === 0 ? rng.int(1, 60) * DAY_MS - EXPIRED_RECORD_GRACE_MS : YEAR_MS,
      stuck: i % 3 === 0,
    });
  /** An hour of the fleet: the devices still in touch check in; now and then one enrolls. */
  const hour = (h: number) => {
    service.now = h * SWEEP_INTERVAL_MS;
    // A device in touch checks in and has its certificate renewed, as device-desk does.
    for (const d of devices.values())
      if (Number(d.id.slice(1)) % 4 !== 0) {
        d.lastSyncAtMs = service.now;
        d.certificateExpiresAtMs = Math.max(d.certificateExpiresAtMs, service.now + YEAR_MS);
      }
    if (h % 100 === 0) {
      const id = `n${h}`;
      const device: FakeDevice = {
        id,
        identity: { platform: 'windows10' },
        enrolledAtMs: service.now,
        lastSyncAtMs: null,
        certificateExpiresAtMs: service.now + YEAR_MS,
        stuck: false,
      };
      devices.set(id, device);
    }
    if (h === 24 * 20) service.cleanupDays = 30; // the admin shortens it on day 20: due sooner
  };
  return { service, hour, removed, scans: () => scans };
}

describe('the hourly sweep', () => {
  it('removes the same records at the same hours when it scans only once one can be due', () => {
    const every = fakeService('sweep');
    const sparse = fakeService('sweep');
    const sweeper = new Sweeper(sparse.service as unknown as IntuneService);
    for (let h = 1; h <= 24 * 70; h++) {
      every.hour(h);
      runSweep(every.service as unknown as IntuneService);
      sparse.hour(h);
      sweeper.tick();
    }
    expect(every.removed.length).toBeGreaterThan(10);
    expect(every.removed.some((r) => r.endsWith('cleanup'))).toBe(true);
    expect(every.removed.some((r) => r.endsWith('certificateExpired'))).toBe(true);
    expect(sparse.removed).toEqual(every.removed);
    expect(sparse.scans(), 'scans, against one an hour').toBeLessThan(every.scans() / 4);
  });
});
