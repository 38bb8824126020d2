import { describe, expect, it } from 'vitest';
import { CheckInTimer } from '../../agent/runtime/check-in-timer.ts';
import { VirtualClock } from '../../sim/clock/virtual-clock.ts';
import { APPLE_CHECK_IN } from '../../sim/platforms/check-in-schedules.ts';
import { createRng } from '../../sim/prng.ts';
import { MINUTE_MS, SECOND_MS } from '../../sim/time-units.ts';

/** A device's own check-in times: its schedule (S-3), a push (S-4), and when a late one was due. */
function timer() {
  const clock = new VirtualClock(0);
  const due: { reason: string; atMs: number; lateDue: number | null }[] = [];
  const t: CheckInTimer = new CheckInTimer(
    { clock, rng: createRng('timer'), serialNumber: 'S1', schedule: APPLE_CHECK_IN },
    { checkInDue: (reason) => void due.push({ reason, atMs: clock.now(), lateDue: t.takeLateDue() }) },
  );
  return { clock, t, due };
}

describe('CheckInTimer', () => {
  it('S-3: the next check-in is on the schedule counted from enrollment, and replaces the one before', async () => {
    const { clock, t, due } = timer();
    t.scheduleNext(0);
    t.scheduleNext(0); // the same check-in again: one timer, not two
    await clock.advanceTo(20 * MINUTE_MS);
    expect(due).toEqual([{ reason: 'schedule', atMs: 15 * MINUTE_MS, lateDue: null }]);
    expect(clock.scheduled).toBe(0);
  });

  it('S-3: check-in after check-in, each on its schedule, on one timer the clock reuses', async () => {
    const { clock, t, due } = timer();
    const scheduled: unknown[] = [];
    const schedule = clock.schedule.bind(clock);
    clock.schedule = (atMs, key, fn, reuse) => {
      const handle = schedule(atMs, key, fn, reuse);
      scheduled.push(handle);
      return handle;
    };
    t.scheduleNext(0);
    for (let i = 1; i <= 3; i++) {
      await clock.advanceTo(i * 15 * MINUTE_MS);
      t.scheduleNext(0);
    }
    expect(due.map((d) => d.atMs)).toEqual([15, 30, 45].map((m) => m * MINUTE_MS));
    expect(new Set(scheduled).size, 'four check-ins scheduled, one timer object').toBe(1);
    t.scheduleNext(0); // while one is pending: that one is cancelled, and a new one made
    expect(new Set(scheduled).size).toBe(2);
    expect(clock.scheduled).toBe(1);
  });

  it('S-4: a push wakes the device within 5–60 s, once however many pushes arrive', async () => {
    const { clock, t, due } = timer();
    t.push();
    t.push();
    await clock.advanceTo(2 * MINUTE_MS);
    expect(due).toHaveLength(1);
    expect(due[0]!.reason).toBe('push');
    expect(due[0]!.atMs).toBeGreaterThanOrEqual(5 * SECOND_MS);
    expect(due[0]!.atMs).toBeLessThanOrEqual(60 * SECOND_MS);
    t.push(); // the wake-up happened: a new push is a new one
    await clock.advanceTo(4 * MINUTE_MS);
    expect(due).toHaveLength(2);
  });

  it('a check-in sent after it was due carries the earliest due time once; one on time carries none', async () => {
    const clock = new VirtualClock(0);
    // Its device is busy: the check-in goes out later than the timer fired.
    const t = new CheckInTimer(
      { clock, rng: createRng('q'), serialNumber: 'S2', schedule: APPLE_CHECK_IN },
      { checkInDue: () => {} },
    );
    t.scheduleNext(0);
    await clock.advanceTo(15 * MINUTE_MS);
    expect(t.takeLateDue()).toBeNull(); // sent at the instant it was due: not late
    t.scheduleNext(0);
    await clock.advanceTo(31 * MINUTE_MS);
    expect(t.takeLateDue()).toBe(30 * MINUTE_MS);
    expect(t.takeLateDue()).toBeNull(); // taken: the next check-in owes nothing
  });

  it('a missed check-in owes nothing and the next is scheduled (when enrolled); cancel stops both timers', async () => {
    const clock = new VirtualClock(0);
    const t = new CheckInTimer(
      { clock, rng: createRng('m'), serialNumber: 'S3', schedule: APPLE_CHECK_IN },
      { checkInDue: () => {} },
    );
    t.scheduleNext(0);
    await clock.advanceTo(16 * MINUTE_MS);
    t.missed(0);
    expect(t.takeLateDue()).toBeNull();
    expect(clock.nextDueAtMs()).toBe(30 * MINUTE_MS);
    t.missed(null); // no longer enrolled: nothing more is scheduled
    expect(clock.scheduled).toBe(1);
    t.push();
    expect(clock.scheduled).toBe(2);
    t.cancel();
    expect(clock.scheduled).toBe(0);
  });

  it('cancelled timers never fire', async () => {
    const { clock, t, due } = timer();
    t.scheduleNext(0);
    t.push();
    t.cancel();
    await clock.advanceTo(2 * 60 * MINUTE_MS);
    expect(due).toEqual([]);
  });
});
