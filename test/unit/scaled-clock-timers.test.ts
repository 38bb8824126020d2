import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ScaledClock } from '../../sim/clock/scaled-clock.ts';
import { type QueuedTimer, TimerQueue } from '../../sim/clock/timer-queue.ts';
import { createRng } from '../../sim/prng.ts';

describe("the scaled clock's timers", () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });
  const clockAt = (speed = 10) => ScaledClock.startingAt(1_000_000, speed, () => Date.now());

  it('run at their sim time, in time order, same instant in scheduling order, each once', async () => {
    const clock = clockAt(10);
    const ran: string[] = [];
    clock.schedule(1_000_500, 'b', () => ran.push(`late@${clock.now()}`));
    clock.schedule(1_000_100, 'z', () => ran.push('first'));
    clock.schedule(1_000_100, 'a', () => ran.push('second')); // same instant: scheduled later, runs later
    await vi.advanceTimersByTimeAsync(9); // 90 sim-ms: nothing due
    expect(ran).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(ran).toEqual(['first', 'second']);
    await vi.advanceTimersByTimeAsync(100);
    expect(ran).toEqual(['first', 'second', 'late@1000500']);
    expect(clock.pending).toBe(0);
  });

  it('hold one Node timer however many are waiting', () => {
    const clock = clockAt();
    for (let i = 0; i < 1_000; i++) clock.schedule(1_000_000 + i * 1_000, `t${i}`, () => {});
    expect(vi.getTimerCount()).toBe(1);
    expect(clock.pending).toBe(1_000);
  });

  it('a cancelled timer never runs, and the ones after it still do', async () => {
    const clock = clockAt();
    const ran: string[] = [];
    const first = clock.schedule(1_000_100, 'a', () => ran.push('cancelled'));
    clock.schedule(1_000_200, 'b', () => ran.push('kept'));
    clock.cancel(first);
    clock.cancel(first); // twice is harmless
    await vi.advanceTimersByTimeAsync(100);
    expect(ran).toEqual(['kept']);
  });

  it('a timer scheduled earlier than the one armed re-arms for it', async () => {
    const clock = clockAt();
    const ran: string[] = [];
    clock.schedule(1_010_000, 'late', () => ran.push('late'));
    clock.schedule(1_000_050, 'early', () => ran.push(`early@${clock.now()}`));
    await vi.advanceTimersByTimeAsync(5);
    expect(ran).toEqual(['early@1000050']);
  });

  it('a timer that schedules one already due lets it run at the next wake, not in the same pass', async () => {
    const clock = clockAt();
    const ran: string[] = [];
    clock.schedule(1_000_100, 'a', () => {
      ran.push('a');
      clock.schedule(clock.now(), 'again', () => ran.push('again'));
      expect(ran).toEqual(['a']);
    });
    await vi.advanceTimersByTimeAsync(10);
    expect(ran).toEqual(['a']);
    await vi.advanceTimersByTimeAsync(1); // the next wake: a Node timer of 0 ms waits 1
    expect(ran).toEqual(['a', 'again']);
  });

  it('wait while the clock is paused, and run once it goes on and their time comes', async () => {
    const clock = clockAt();
    const ran: number[] = [];
    clock.schedule(1_000_100, 'a', () => ran.push(clock.now()));
    clock.pause();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(ran).toEqual([]);
    clock.resume();
    await vi.advanceTimersByTimeAsync(10);
    expect(ran).toEqual([1_000_100]);
  });

  it('dispose() drops every timer and the Node timer with them', () => {
    const clock = clockAt();
    clock.schedule(1_000_100, 'a', () => {});
    clock.dispose();
    expect([clock.pending, vi.getTimerCount()]).toEqual([0, 0]);
  });
});

describe('TimerQueue', () => {
  it('rebuilt without its cancelled timers, gives the rest in order and lets go of the cancelled closures', () => {
    const q = new TimerQueue();
    const ran: number[] = [];
    const fns = Array.from({ length: 3_000 }, (_, i) => () => ran.push(i));
    const all: QueuedTimer[] = fns.map((fn, i) => ({
      id: i,
      atMs: (i * 7919) % 1_000, // many share an instant: the sequence breaks the tie
      key: '',
      seq: i,
      fn,
      cancelled: false,
    }));
    for (const t of all) q.push(t);
    const cancelled = all.filter((t) => t.seq % 6 !== 0);
    for (const t of cancelled) q.cancel(t);
    expect(q.size).toBe(500);
    expect(cancelled.every((t) => t.fn !== fns[t.seq])).toBe(true);
    for (let fn = q.pop(); fn; fn = q.pop()) fn();
    const kept = all.filter((t) => t.seq % 6 === 0).sort((a, b) => a.atMs - b.atMs || a.seq - b.seq);
    expect(ran).toEqual(kept.map((t) => t.seq));
  });

  it('gives timers in (time, key, sequence) order through any mix of pushes, cancels and pops, down to empty', () => {
    const rng = createRng('timer-queue');
    const q = new TimerQueue();
    const pending = new Map<number, QueuedTimer>();
    const taken: number[] = [];
    const expected: number[] = [];
    let seq = 0;
    const order = (a: QueuedTimer, b: QueuedTimer) =>
      a.atMs - b.atMs || (a.key < b.key ? -1 : a.key > b.key ? 1 : a.seq - b.seq);
    for (let step = 0; step < 20_000; step++) {
      const roll = rng.int(0, 9);
      if (roll < 5) {
        const id = seq++;
        // Few instants and keys: ties on time, and on time and key, are common.
        const t: QueuedTimer = {
          id,
          atMs: rng.int(0, 50),
          key: `k${rng.int(0, 3)}`,
          seq: id,
          fn: () => taken.push(id),
          cancelled: false,
        };
        q.push(t);
        pending.set(id, t);
      } else if (roll < 7 && pending.size > 0) {
        const victim = [...pending.values()][rng.int(0, pending.size - 1)]!;
        q.cancel(victim);
        pending.delete(victim.id);
      } else {
        const next = [...pending.values()].sort(order)[0];
        q.pop()?.();
        if (next) {
          expected.push(next.id);
          pending.delete(next.id);
        }
      }
      expect(q.size).toBe(pending.size);
    }
    for (const t of [...pending.values()].sort(order)) expected.push(t.id);
    for (let fn = q.pop(); fn; fn = q.pop()) fn();
    expect(taken).toEqual(expected);
    expect([q.size, q.peek()]).toEqual([0, undefined]);
  });
});
