import { afterEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../sim/clock/types.ts';
import type { VirtualClock } from '../../sim/clock/virtual-clock.ts';
import type { FleetEvent } from '../../sim/events.ts';
import { HOUR_MS, MINUTE_MS } from '../../sim/time-units.ts';
import { HOP_LATENCY_MS } from '../../transport/endpoint.ts';
import { startVirtualFleet, type VirtualFleet } from '../helpers/virtual-fleet.ts';

/** How late a busy agents process runs the devices' check-in timers here. */
const LATE_MS = 7 * MINUTE_MS;

/** The fleet's clock as a busy process sees it: each scheduled check-in runs LATE_MS after it was due. */
const slowCheckIns = (clock: VirtualClock): Clock => ({
  mode: clock.mode,
  now: () => clock.now(),
  schedule: (atMs, key, fn) => clock.schedule(key.endsWith(':checkIn') ? atMs + LATE_MS : atMs, key, fn),
  cancel: (handle) => clock.cancel(handle),
  simMsOfRealMs: (ms) => clock.simMsOfRealMs(ms),
});

type CheckIn = Extract<FleetEvent, { type: 'device.checkIn' }>;

let fleet: VirtualFleet | null = null;
afterEach(async () => {
  await fleet?.close();
  fleet = null;
});

describe('check-in lateness: the device says when a check-in was due', () => {
  it('a check-in sent late carries its due time; the service logs it, so lateness is due → handled', async () => {
    fleet = await startVirtualFleet({
      seed: 'late',
      cohorts: [{ platform: 'ios', count: 2 }],
      agentClock: slowCheckIns,
    });
    await fleet.clock.advanceBy(2 * HOUR_MS);
    const checkIns = fleet.log.ofType('device.checkIn') as CheckIn[];
    const scheduled = checkIns.filter((e) => e.reason === 'schedule');
    expect(scheduled.length).toBeGreaterThan(2);
    // Sent LATE_MS after it was due, handled one hop later: the lateness is all of it.
    for (const e of scheduled) expect(e.atMs - e.dueAtMs).toBe(LATE_MS + HOP_LATENCY_MS);
    // Sent when due (at enrollment): only the hop; the wire carried no due time, the send time stood for it.
    const enrolled = checkIns.filter((e) => e.reason === 'enrolled');
    expect(enrolled).toHaveLength(2);
    for (const e of enrolled) expect(e.atMs - e.dueAtMs).toBe(HOP_LATENCY_MS);
  });

  it('on time, no check-in is late by more than the hop', async () => {
    fleet = await startVirtualFleet({ seed: 'late', cohorts: [{ platform: 'ios', count: 2 }] });
    await fleet.clock.advanceBy(2 * HOUR_MS);
    const checkIns = fleet.log.ofType('device.checkIn') as CheckIn[];
    expect(checkIns.filter((e) => e.reason === 'schedule').length).toBeGreaterThan(2);
    for (const e of checkIns) expect(e.atMs - e.dueAtMs, e.reason).toBe(HOP_LATENCY_MS);
  });
});
