import { describe, expect, it } from 'vitest';
import { FlightTracker } from '../../sim/clock/flight-tracker.ts';
import { ScaledClock } from '../../sim/clock/scaled-clock.ts';
import { VirtualClock } from '../../sim/clock/virtual-clock.ts';

describe('the virtual clock', () => {
  it('runs timers in time order, then key order, then scheduling order', async () => {
    const clock = new VirtualClock(1000);
    const ran: string[] = [];
    clock.schedule(2000, 'b', () => ran.push('2000b'));
    clock.schedule(2000, 'a', () => ran.push('2000a-1'));
    clock.schedule(1500, 'z', () => ran.push('1500z'));
    clock.schedule(2000, 'a', () => ran.push('2000a-2'));
    await clock.advanceTo(3000);
    expect(ran).toEqual(['1500z', '2000a-1', '2000a-2', '2000b']);
    expect(clock.now()).toBe(3000);
  });

  it('stands still while work is in flight and moves on once it settles', async () => {
    const tracker = new FlightTracker();
    const clock = new VirtualClock(0, tracker);
    const seen: number[] = [];
    clock.schedule(10, 'x', () => {
      tracker.begin();
      setImmediate(() =>
        setImmediate(() => {
          seen.push(clock.now()); // still at 10: the clock waited
          clock.schedule(clock.now() + 5, 'y', () => seen.push(clock.now()));
          tracker.end();
        }),
      );
    });
    await clock.advanceTo(100);
    expect(seen).toEqual([10, 15]);
  });

  it('cancelled timers do not run', async () => {
    const clock = new VirtualClock(0);
    let ran = false;
    clock.cancel(clock.schedule(5, 'k', () => (ran = true)));
    await clock.advanceTo(10);
    expect(ran).toBe(false);
    expect(clock.scheduled).toBe(0);
  });

  it('counts only timers still due: cancelling twice, or after the timer ran, changes nothing', async () => {
    const clock = new VirtualClock(0);
    const runs: string[] = [];
    const first = clock.schedule(5, 'a', () => runs.push('a'));
    const second = clock.schedule(6, 'b', () => runs.push('b'));
    clock.schedule(7, 'c', () => runs.push('c'));
    expect(clock.scheduled).toBe(3);
    await clock.advanceTo(5);
    clock.cancel(first); // it ran already
    expect(clock.scheduled).toBe(2);
    clock.cancel(second);
    clock.cancel(second);
    expect(clock.scheduled).toBe(1);
    expect(clock.nextDueAtMs()).toBe(7);
    await clock.advanceTo(10);
    expect(runs).toEqual(['a', 'c']);
    expect(clock.scheduled).toBe(0);
  });

  it('reuses the handle of a timer that ran, and only such a one: never one pending or cancelled', async () => {
    const clock = new VirtualClock(0);
    const runs: string[] = [];
    const first = clock.schedule(5, 'a', () => runs.push('a@5'));
    expect(
      clock.schedule(8, 'a', () => runs.push('pending'), first),
      'still due: a new timer',
    ).not.toBe(first);
    await clock.advanceTo(5);
    const again = clock.schedule(9, 'a', () => runs.push('a@9'), first);
    expect(again, 'it ran: the same object, a new timer').toBe(first);
    const cancelled = clock.schedule(20, 'c', () => runs.push('cancelled'));
    clock.cancel(cancelled);
    expect(clock.schedule(12, 'c', () => runs.push('c@12'), cancelled)).not.toBe(cancelled);
    // In its new place in the order: after the timer at 8, before the one at 12.
    expect(clock.scheduled).toBe(3);
    await clock.advanceTo(30);
    expect(runs).toEqual(['a@5', 'pending', 'a@9', 'c@12']);
    // Cancelling the reused handle after it ran again cancels nothing.
    clock.cancel(again);
    expect(clock.scheduled).toBe(0);
  });

  it('runUntil stops at the first instant the condition holds, or at the limit', async () => {
    const clock = new VirtualClock(0);
    let count = 0;
    for (const t of [10, 20, 30]) clock.schedule(t, 'k', () => count++);
    expect(await clock.runUntil(() => count === 2, 100)).toBe(true);
    expect(clock.now()).toBe(20);
    expect(await clock.runUntil(() => count === 5, 50)).toBe(false);
    expect(clock.now()).toBe(70);
  });

  it('fails loudly when work in flight never settles', async () => {
    const tracker = new FlightTracker();
    const clock = new VirtualClock(0, tracker, { stallLimitMs: 50 });
    tracker.begin();
    await expect(clock.advanceTo(10)).rejects.toThrow(/stalled .* 1 operation\(s\) in flight/);
  });

  it('is not stalled while work in flight keeps progressing, however long settling takes', async () => {
    // A big fleet connecting on a busy machine: operations keep completing for longer than the limit.
    const tracker = new FlightTracker();
    const clock = new VirtualClock(0, tracker, { stallLimitMs: 50 });
    tracker.begin();
    const started = performance.now();
    const progress = () => {
      tracker.begin();
      tracker.end();
      if (performance.now() - started < 200) setImmediate(progress);
      else tracker.end();
    };
    setImmediate(progress);
    await clock.advanceTo(10);
    expect(performance.now() - started).toBeGreaterThanOrEqual(200);
    expect(tracker.pending).toBe(0);
  });

  it('settles after one quiet turn of the event loop over in-memory streams, two while a TCP socket is open', async () => {
    const turnsTaken = async (sockets: number) => {
      const tracker = new FlightTracker();
      for (let i = 0; i < sockets; i++) tracker.socketOpened();
      const clock = new VirtualClock(0, tracker);
      // A turn counter queued ahead of the settle's own first turn: each loop turn runs it once.
      let turns = 0;
      let counting = true;
      const count = () => {
        turns++;
        if (counting) setImmediate(count);
      };
      setImmediate(count);
      await clock.settle();
      counting = false;
      return turns;
    };
    expect(await turnsTaken(0)).toBe(1);
    expect(await turnsTaken(1)).toBe(2);
    expect(await turnsTaken(3)).toBe(2);
  });

  describe('after an instant that sent something', () => {
    /**
     * An instant at 10 whose message is in flight until `lands` calls back; the order in which
     * the next instant (20), an event-loop turn queued at 10 and the landing happen.
     */
    const order = async (sockets: number, lands: (done: () => void) => void) => {
      const tracker = new FlightTracker();
      for (let i = 0; i < sockets; i++) tracker.socketOpened();
      const clock = new VirtualClock(0, tracker);
      const seen: string[] = [];
      clock.schedule(10, 'send', () => {
        tracker.begin();
        setImmediate(() => seen.push('a turn of the event loop'));
        lands(() => {
          seen.push(`landed at ${clock.now()}`);
          tracker.end();
        });
      });
      clock.schedule(20, 'next', () => seen.push('the next instant'));
      await clock.advanceTo(30);
      await new Promise((resolve) => setImmediate(resolve)); // the turn, if it has not come yet
      return seen;
    };
    /** A message's journey over in-memory streams: ticks that queue ticks (write, read, route). */
    const inTicks = (done: () => void) =>
      process.nextTick(() => process.nextTick(() => process.nextTick(done)));

    it('moves on once its ticks have run, over in-memory streams: no turn of the event loop', async () => {
      expect(await order(0, inTicks)).toEqual([
        'landed at 10',
        'the next instant',
        'a turn of the event loop',
      ]);
    });

    it('still waits for what its ticks left in flight', async () => {
      const inATurn = (done: () => void) => setImmediate(() => setImmediate(done));
      expect(await order(0, inATurn)).toEqual([
        'a turn of the event loop',
        'landed at 10',
        'the next instant',
      ]);
      // A promise job between ticks: not landed once the instant's own ticks ran, so it waits a turn.
      const withAPromiseJob = (done: () => void) =>
        process.nextTick(() => void Promise.resolve().then(() => process.nextTick(done)));
      expect(await order(0, withAPromiseJob)).toEqual([
        'landed at 10',
        'a turn of the event loop',
        'the next instant',
      ]);
    });

    it('takes its turns of the event loop while a TCP socket is open', async () => {
      expect(await order(1, inTicks)).toEqual([
        'landed at 10',
        'a turn of the event loop',
        'the next instant',
      ]);
    });

    it('yields to the event loop at least every 256 instants all the same', async () => {
      const tracker = new FlightTracker();
      const clock = new VirtualClock(0, tracker);
      let instants = 0;
      let turnAt: number | null = null;
      for (let at = 1; at <= 1000; at++)
        clock.schedule(at, 'send', () => {
          if (++instants === 1) setImmediate(() => (turnAt = instants));
          tracker.begin();
          inTicks(() => tracker.end());
        });
      await clock.advanceTo(1000);
      expect(instants).toBe(1000);
      expect(turnAt).not.toBeNull();
      expect(turnAt!).toBeGreaterThan(1);
      expect(turnAt!).toBeLessThanOrEqual(256);
    });
  });

  it('refuses to go back in time', async () => {
    const clock = new VirtualClock(100);
    await expect(clock.advanceTo(50)).rejects.toThrow(RangeError);
  });
});

describe('the flight tracker', () => {
  it('settles what a dropped client was sending or owed', () => {
    const t = new FlightTracker();
    t.track('a');
    t.sent('a');
    t.owe('a');
    t.owe('a');
    expect(t.pending).toBe(3);
    t.dropClient('a');
    expect(t.pending).toBe(0);
    t.received('a'); // late arrival after the drop: ignored
    expect(t.pending).toBe(0);
  });

  it('names what is in flight per client for a stall report, and counts connects and closes apart', () => {
    const t = new FlightTracker();
    t.track('a');
    t.track('b');
    t.sent('a');
    t.sent('a');
    t.owe('b');
    t.begin(); // a connect under way
    t.routed('a');
    t.routed('c'); // never sent anything: nothing to settle
    t.received('a'); // owed nothing
    expect(t.pending).toBe(3);
    expect(t.describe()).toBe(
      'sending: a×1; being delivered to: b×1; other operations (connects, closes): 1',
    );
    t.routed('a');
    t.received('b');
    t.end();
    expect(t.pending).toBe(0);
    expect(t.describe()).toBe(
      'sending: none; being delivered to: none; other operations (connects, closes): 0',
    );
    t.owe('c'); // not tracked: passes uncounted
    expect(t.pending).toBe(0);
  });

  it("counts a message given a client's counts (what its endpoint holds) as one given its id", () => {
    const t = new FlightTracker();
    const a = t.track('a');
    expect(t.track('a')).toBe(a); // one object per client, for the tracker's life
    t.sent(a);
    t.owe('a');
    expect(t.describe()).toBe(
      'sending: a×1; being delivered to: a×1; other operations (connects, closes): 0',
    );
    t.routed('a');
    t.received(a);
    expect(t.pending).toBe(0);
    t.received(a); // owed nothing
    expect(t.pending).toBe(0);
    t.sent(a);
    t.dropClient('a');
    expect([t.pending, a.publishing]).toEqual([0, 0]);
  });
});

describe('the scaled clock', () => {
  it('is sim origin + wall time elapsed × speed, and keeps sim time continuous across a speed change', () => {
    let wall = 1_000;
    const clock = ScaledClock.startingAt(50_000, 60, () => wall);
    wall += 1_000;
    expect(clock.now()).toBe(110_000);
    clock.setSpeed(600);
    expect(clock.now()).toBe(110_000);
    wall += 100;
    expect(clock.now()).toBe(170_000);
  });

  it('refuses an impossible speed', () => {
    expect(() => ScaledClock.startingAt(0, 0)).toThrow(/speed/);
    expect(() => ScaledClock.startingAt(0, Number.NaN)).toThrow(/speed/);
    expect(() => ScaledClock.startingAt(0, 1e9)).toThrow(/speed/);
  });
});

describe('the scaled clock, paused', () => {
  it('stands still while paused and goes on from there', () => {
    let wall = 0;
    const clock = ScaledClock.startingAt(1_000, 10, () => wall);
    wall = 100;
    expect(clock.now()).toBe(2_000);
    clock.pause();
    wall = 500;
    expect(clock.now()).toBe(2_000);
    clock.setSpeed(100); // speed may change while paused
    clock.resume();
    expect(clock.now()).toBe(2_000);
    wall = 510;
    expect(clock.now()).toBe(3_000);
  });
});
