import { FlightTracker } from './flight-tracker.ts';
import { hasRun, type QueuedTimer, TimerQueue } from './timer-queue.ts';
import type { Clock, TimerHandle } from './types.ts';

/** Limits on waiting for quiescence: real time, since this is where sim meets the event loop. */
export interface VirtualClockOptions {
  /** A run stalled this long with work in flight fails loudly instead of hanging. */
  stallLimitMs?: number;
}

const STALL_LIMIT_MS = 10_000;
/** Quiet instants run in a row before the clock yields to the event loop all the same. */
const QUIET_INSTANTS_MAX = 256;

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
  /** Instants in a row that ran without settling (runInstant). */
  private quietInstants = 0;

  constructor(startMs: number, tracker = new FlightTracker(), options: VirtualClockOptions = {}) {
    this.current = startMs;
    this.tracker = tracker;
    this.stallLimitMs = options.stallLimitMs ?? STALL_LIMIT_MS;
  }

  now(): number {
    return this.current;
  }

  schedule(atMs: number, key: string, fn: () => void, reuse?: TimerHandle): TimerHandle {
    const id = this.nextId++;
    const at = Math.max(atMs, this.current);
    const used = reuse as QueuedTimer | undefined;
    if (used && hasRun(used)) {
      used.id = id;
      used.atMs = at;
      used.key = key;
      used.seq = this.nextSeq++;
      used.fn = fn;
      this.queue.push(used);
      return used;
    }
    const timer: QueuedTimer = { id, atMs: at, key, seq: this.nextSeq++, fn, cancelled: false };
    this.queue.push(timer);
    return timer; // its own handle: cancelling marks it, with no lookup
  }

  cancel(handle: TimerHandle): void {
    this.queue.cancel(handle as QueuedTimer);
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
  settle(): Promise<void> {
    // One promise per settle and one callback for all its turns: a month of a big fleet settles
    // about a million times, and a promise per turn was a tenth of everything it allocated.
    return new Promise<void>((resolve, reject) => {
      let progressAt = performance.now();
      let quietTurns = 0;
      let seen = this.tracker.activity;
      // Quiet turns in a row: with a TCP socket open two, so that a write that just completed has
      // had a turn to be read; over in-memory streams one (FlightTracker.sockets says why).
      const turn = () => {
        if (this.tracker.pending > 0 || this.tracker.activity !== seen) {
          quietTurns = 0;
          if (this.tracker.activity !== seen) progressAt = performance.now();
          seen = this.tracker.activity;
          if (performance.now() - progressAt > this.stallLimitMs) {
            reject(
              new Error(
                `VirtualClock: stalled at sim ${new Date(this.current).toISOString()} with ${this.tracker.pending} operation(s) in flight and no progress for ${this.stallLimitMs} ms (${this.tracker.describe()})`,
              ),
            );
            return;
          }
        } else if (++quietTurns >= (this.tracker.sockets > 0 ? 2 : 1)) {
          resolve();
          return;
        }
        setImmediate(turn);
      };
      setImmediate(turn);
    });
  }

  /**
   * Runs everything due at the current instant, including timers its callbacks add for the same
   * instant, then settles — unless the instant sent, connected and closed nothing (an idle
   * check-in's handling, a missed check-in rescheduled): then nothing can be in flight and the
   * event-loop turns of a settle would find nothing. Over in-memory streams alone, an instant that
   * did send first waits only for the ticks its messages queued (settleInTicks). Every
   * QUIET_INSTANTS_MAX such instants in a row it settles anyway, so the event loop (HTTP, sockets)
   * is never kept waiting long.
   */
  private runInstant(): Promise<void> | null {
    const before = this.tracker.activity;
    while (this.queue.peek()?.atMs === this.current) this.queue.pop()!();
    const quiet = this.tracker.activity === before && this.tracker.pending === 0;
    // Null: the caller awaits null instead, so callbacks' promise continuations run before the next
    // instant as after a settle, with no promise of its own (an async method made one per instant).
    if (quiet || this.tracker.sockets === 0) {
      if (++this.quietInstants < QUIET_INSTANTS_MAX) return quiet ? null : this.settleInTicks();
    }
    this.quietInstants = 0;
    return this.settle();
  }

  /**
   * Over in-memory streams a message's journey — the sender's write, the broker's read and routing,
   * the service's receipt — runs in process.nextTick callbacks, and what aedes puts off to a later
   * turn is counted in flight until it lands. So once the ticks queued by now have run (with those
   * they queue), nothing in flight means the instant's work is done: an idle check-in needs no turn
   * of the event loop, whose poll for I/O (a system call) cost about a third of a check-in's CPU at
   * 1,000 devices on a slow VM. Anything still in flight then (a delivery aedes puts off, a promise
   * job between ticks) is waited for as before.
   */
  private async settleInTicks(): Promise<void> {
    await new Promise<void>((resolve) => process.nextTick(resolve));
    if (this.tracker.pending === 0) return;
    this.quietInstants = 0;
    await this.settle();
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
      await this.runInstant(); // null when the instant was quiet
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
      await this.runInstant(); // null when the instant was quiet
    }
    return true;
  }
}
