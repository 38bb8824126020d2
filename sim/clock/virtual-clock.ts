import { FlightTracker } from './flight-tracker.ts';
import { TimerQueue } from './timer-queue.ts';
import type { Clock, TimerHandle } from './types.ts';

/** Limits on waiting for quiescence: real time, since this is where sim meets the event loop. */
export interface VirtualClockOptions {
  /** A run stalled this long with work in flight fails loudly instead of hanging. */
  stallLimitMs?: number;
}

const STALL_LIMIT_MS = 10_000;

/**
 * Discrete-event time: sim time stands still while work is in flight and jumps to the next due
 * timer once the system is quiescent. Deterministic: timers at one instant run in (key, order)
 * order, and messages are handled at send time plus modeled latency, never on arrival.
 */
export class VirtualClock implements Clock {
  readonly mode = 'virtual' as const;
  readonly tracker: FlightTracker;
  private current: number;
  private queue = new TimerQueue();
  private nextId = 1;
  private nextSeq = 0;
  private readonly stallLimitMs: number;

  constructor(startMs: number, tracker = new FlightTracker(), options: VirtualClockOptions = {}) {
    this.current = startMs;
    this.tracker = tracker;
    this.stallLimitMs = options.stallLimitMs ?? STALL_LIMIT_MS;
  }

  now(): number {
    return this.current;
  }

  schedule(atMs: number, key: string, fn: () => void): TimerHandle {
    const id = this.nextId++;
    this.queue.push({ id, atMs: Math.max(atMs, this.current), key, seq: this.nextSeq++, fn });
    return { id };
  }

  cancel(handle: TimerHandle): void {
    this.queue.cancel(handle.id);
  }

  /** Everything is sim time here, retries and timeouts included: a run stays deterministic. */
  simMsOfRealMs(realMs: number): number {
    return realMs;
  }

  /** Timers not yet run. */
  get scheduled(): number {
    return this.queue.size;
  }

  /** When the next timer is due, or null when none is. */
  nextDueAtMs(): number | null {
    return this.queue.peek()?.atMs ?? null;
  }

  /**
   * Waits (in real time, on the event loop) until nothing is in flight. A stall is work in flight
   * with no progress at all for the stall limit: ten thousand devices connecting on a busy machine
   * may take longer than that to settle, yet they are not stalled while connections keep completing.
   */
  async settle(): Promise<void> {
    let progressAt = performance.now();
    let quietTurns = 0;
    let seen = this.tracker.activity;
    // Two quiet turns in a row: a write that just completed has had a turn to be read.
    while (quietTurns < 2) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.tracker.pending > 0 || this.tracker.activity !== seen) {
        quietTurns = 0;
        if (this.tracker.activity !== seen) progressAt = performance.now();
        seen = this.tracker.activity;
        if (performance.now() - progressAt > this.stallLimitMs) {
          throw new Error(
            `VirtualClock: stalled at sim ${new Date(this.current).toISOString()} with ${this.tracker.pending} operation(s) in flight and no progress for ${this.stallLimitMs} ms (${this.tracker.describe()})`,
          );
        }
        continue;
      }
      quietTurns++;
    }
  }

  /** Runs every timer due up to `targetMs`, settling between instants; ends with now = targetMs. */
  async advanceTo(targetMs: number): Promise<void> {
    if (targetMs < this.current)
      throw new RangeError(`VirtualClock: cannot go back from ${this.current} to ${targetMs}`);
    await this.settle();
    for (;;) {
      const next = this.queue.peek();
      if (!next || next.atMs > targetMs) break;
      this.current = next.atMs;
      // Everything due at this instant, including timers its callbacks add for the same instant.
      while (this.queue.peek()?.atMs === this.current) this.queue.pop()!.fn();
      await this.settle();
    }
    this.current = targetMs;
  }

  advanceBy(ms: number): Promise<void> {
    return this.advanceTo(this.current + ms);
  }

  /**
   * Advances instant by instant until `done()` holds or `limitMs` of sim time has passed.
   * Returns whether `done()` held; time stops at the instant it first did.
   */
  async runUntil(done: () => boolean, limitMs: number): Promise<boolean> {
    const deadline = this.current + limitMs;
    await this.settle();
    while (!done()) {
      const next = this.queue.peek();
      if (!next || next.atMs > deadline) {
        this.current = deadline;
        return done();
      }
      this.current = next.atMs;
      while (this.queue.peek()?.atMs === this.current) this.queue.pop()!.fn();
      await this.settle();
    }
    return true;
  }
}
