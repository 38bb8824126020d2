import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_EPOCH_MS } from '../../agent/fleet/generator.ts';
import { FleetRunner, START_WAVE, START_WAVE_GAP_MS } from '../../agent/runtime/fleet-runner.ts';
import { startServer } from '../../broker/server.ts';
import { Emulator } from '../../emulator/emulator.ts';
import { FlightTracker } from '../../sim/clock/flight-tracker.ts';
import { VirtualClock } from '../../sim/clock/virtual-clock.ts';
import { EventLog } from '../../sim/events.ts';
import { memoryConnector } from '../../transport/connector.ts';
import { startVirtualFleet } from '../helpers/virtual-fleet.ts';

describe('a big fleet on the virtual clock (agent/runtime/fleet-runner.ts)', () => {
  it('starts in waves: a hundred devices at once, the next hundred 200 ms of sim time later, and so on', async () => {
    expect([START_WAVE, START_WAVE_GAP_MS]).toEqual([100, 200]);
    const fleet = await startVirtualFleet({
      seed: 'waves',
      cohorts: [
        { platform: 'windows10', count: 150 },
        { platform: 'ios', count: 100 },
      ],
    });
    try {
      const enrolledAt = fleet.log.ofType('device.enrolled').map((e) => e.atMs - DEFAULT_EPOCH_MS);
      expect(enrolledAt).toHaveLength(250);
      // Each wave is enrolled before the next one starts.
      const wave = (ms: number) => Math.floor(ms / START_WAVE_GAP_MS);
      expect([0, 1, 2].map((w) => enrolledAt.filter((ms) => wave(ms) === w).length)).toEqual([100, 100, 50]);
      // In the order the cohorts name them: the first 100 Windows devices, then the rest of them with
      // 50 iPhones, then the other 50 iPhones.
      const platformsByWave = [0, 1, 2].map((w) =>
        fleet.log
          .ofType('device.enrolled')
          .filter((e) => wave(e.atMs - DEFAULT_EPOCH_MS) === w)
          .map((e) => e.platform),
      );
      expect(platformsByWave.map((ps) => ps.filter((p) => p === 'windows10').length)).toEqual([100, 50, 0]);
    } finally {
      await fleet.close();
    }
  });

  it('a fleet of up to a hundred devices starts at once', async () => {
    const fleet = await startVirtualFleet({
      seed: 'one-wave',
      cohorts: [{ platform: 'androidKnox', count: 100 }],
    });
    try {
      const enrolledAt = fleet.log.ofType('device.enrolled').map((e) => e.atMs - DEFAULT_EPOCH_MS);
      expect(enrolledAt).toHaveLength(100);
      expect(Math.max(...enrolledAt)).toBeLessThan(START_WAVE_GAP_MS);
    } finally {
      await fleet.close();
    }
  });

  it('a fleet stopped before its last waves started leaves those devices unstarted', async () => {
    const tracker = new FlightTracker();
    const clock = new VirtualClock(DEFAULT_EPOCH_MS, tracker);
    const log = new EventLog(() => clock.now());
    const server = await startServer({ clock, seed: 'stop', db: ':memory:', mqttPort: null, tracker, log });
    const runner = new FleetRunner({
      clock,
      connector: memoryConnector((s) => server.broker.handle(s)),
      enrollmentToken: server.enrollmentToken,
      log,
      tracker,
      store: null,
      reconnect: false,
      seed: 'stop',
    });
    try {
      runner.addFleet({ cohorts: [{ platform: 'ios', count: 250 }], epochMs: DEFAULT_EPOCH_MS });
      await clock.advanceBy(START_WAVE_GAP_MS / 2);
      expect(log.ofType('device.enrolled')).toHaveLength(100);
      await runner.stop();
      await clock.advanceBy(10 * START_WAVE_GAP_MS);
      expect(log.ofType('device.enrolled'), 'no wave started after the stop').toHaveLength(100);
      expect(runner.all().filter((a) => a.credentials !== null)).toHaveLength(100);
    } finally {
      await server.close();
    }
  });

  it('stops a big fleet in batches, every device disconnected at the end', async () => {
    const fleet = await startVirtualFleet({
      seed: 'stop-batches',
      cohorts: [{ platform: 'androidKnox', count: 600 }],
    });
    try {
      expect(fleet.runner.all().filter((a) => a.connected)).toHaveLength(600);
      await fleet.runner.stop();
      expect(fleet.runner.all().filter((a) => a.connected)).toHaveLength(0);
    } finally {
      await fleet.close();
    }
  });

  it('after a service restart the devices connect again in waves', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fleetsim-reconnect-'));
    const emulator = await Emulator.start({
      clock: 'virtual',
      speed: 1,
      seed: 'reconnect',
      db: join(dir, 'service.db'),
      agentDb: null,
      mqttPort: null,
      startMs: DEFAULT_EPOCH_MS,
    });
    try {
      await emulator.enroll([{ platform: 'windows10', count: 250 }]);
      // Past the enrolment's last wave: within its 200 ms the restart's first wave would share them.
      await emulator.advance(60_000);
      const restartedAt = emulator.clock.now();
      await emulator.restartService();
      await emulator.advance(3 * START_WAVE_GAP_MS);
      // A restart check-in is due at once: its time tells the wave.
      const waves = emulator.log
        .ofType('device.checkIn')
        .filter((e) => e.reason === 'restart' && e.atMs >= restartedAt)
        .map((e) => Math.floor((e.atMs - restartedAt) / START_WAVE_GAP_MS));
      expect([0, 1, 2].map((w) => waves.filter((x) => x === w).length)).toEqual([100, 100, 50]);
    } finally {
      await emulator.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
