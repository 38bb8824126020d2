import { type QueuedTimer, TimerQueue } from './timer-queue.ts';
import type { Clock, TimerHandle } from './types.ts';

/** The scaled clock's anchor: what the service persists and publishes so agents agree on time. */
export interface ClockAnchor {
  simOriginMs: number;
  wallOriginMs: number;
  speed: number;
}

/** Node's timers cannot wait longer than this; longer waits re-arm. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;
export const SPEED_MAX = 100_000;

/**
 * Wall-clock time, scaled: sim = simOrigin + (wall − wallOrigin) × speed. Works across processes
 * (each computes the same time from the same anchor); not deterministic.
 *
 * Timers wait in one heap behind a single Node timer armed for the earliest: a process holding
 * 10,000 devices held a Node Timeout, a closure and a map entry for each of their timers. Timers due
 * at the same instant run in scheduling order (the `key` tie-break is the virtual clock's, for determinism).
 */
export class ScaledClock implements Clock {
  readonly mode = 'scaled' as const;
  private anchorValue: ClockAnchor;
  private queue = new TimerQueue();
  private nextId = 1;
  private frozenAtMs: number | null = null;
  /** The Node timer armed for the earliest timer, and the sim time it was armed for. */
  private wake: NodeJS.Timeout | null = null;
  private wakeAtMs = Number.POSITIVE_INFINITY;
  private firing = false;

  constructor(
    anchor: ClockAnchor,
    private readonly wallNow: () => number = Date.now,
  ) {
    ScaledClock.checkSpeed(anchor.speed);
    this.anchorValue = { ...anchor };
  }

  static checkSpeed(speed: number): void {
    if (!Number.isFinite(speed) || speed <= 0 || speed > SPEED_MAX) {
      throw new RangeError(`clock speed must be a number above 0 and at most ${SPEED_MAX}, got ${speed}`);
    }
  }

  static startingAt(simStartMs: number, speed: number, wallNow: () => number = Date.now): ScaledClock {
    return new ScaledClock({ simOriginMs: simStartMs, wallOriginMs: wallNow(), speed }, wallNow);
  }

  get anchor(): ClockAnchor {
    return { ...this.anchorValue };
  }

  get speed(): number {
    return this.anchorValue.speed;
  }

  /** Timers waiting to run. */
  get pending(): number {
    return this.queue.size;
  }

  simMsOfRealMs(realMs: number): number {
    return Math.ceil(realMs * this.anchorValue.speed);
  }

  now(): number {
    if (this.frozenAtMs !== null) return this.frozenAtMs;
    const a = this.anchorValue;
    return Math.floor(a.simOriginMs + (this.wallNow() - a.wallOriginMs) * a.speed);
  }

  get paused(): boolean {
    return this.frozenAtMs !== null;
  }

  /** Stops sim time (a presenter's pause); timers wait. */
  pause(): void {
    if (this.frozenAtMs !== null) return;
    this.frozenAtMs = this.now();
    this.disarm();
  }

  /** Sim time goes on from where it stopped. */
  resume(): void {
    if (this.frozenAtMs === null) return;
    const at = this.frozenAtMs;
    this.frozenAtMs = null;
    this.setAnchor({ simOriginMs: at, wallOriginMs: this.wallNow(), speed: this.anchorValue.speed });
  }

  /** Changes speed from now on (sim time does not jump); pending timers are re-armed. */
  setSpeed(speed: number): void {
    if (this.frozenAtMs !== null) {
      ScaledClock.checkSpeed(speed);
      this.anchorValue = { ...this.anchorValue, speed };
      return;
    }
    this.setAnchor({ simOriginMs: this.now(), wallOriginMs: this.wallNow(), speed });
  }

  /** Adopts another anchor (an agent following the service's clock); pending timers are re-armed. */
  setAnchor(anchor: ClockAnchor): void {
    ScaledClock.checkSpeed(anchor.speed);
    this.anchorValue = { ...anchor };
    this.arm();
  }

  schedule(atMs: number, _key: string, fn: () => void): TimerHandle {
    const id = this.nextId++;
    const timer: QueuedTimer = { id, atMs, key: '', seq: id, fn, cancelled: false };
    this.queue.push(timer);
    if (atMs < this.wakeAtMs && !this.firing) this.arm();
    return timer;
  }

  cancel(handle: TimerHandle): void {
    // The wake armed for it, if any, finds nothing due and arms for the next.
    this.queue.cancel(handle as QueuedTimer);
  }

  /** Cancels every pending timer (shutdown). */
  dispose(): void {
    this.disarm();
    this.queue = new TimerQueue();
  }

  private disarm(): void {
    if (this.wake) clearTimeout(this.wake);
    this.wake = null;
    this.wakeAtMs = Number.POSITIVE_INFINITY;
  }

  private arm(): void {
    this.disarm();
    if (this.frozenAtMs !== null) return;
    const next = this.queue.peek();
    if (!next) return;
    const waitMs = Math.max(0, (next.atMs - this.now()) / this.anchorValue.speed);
    this.wakeAtMs = next.atMs;
    this.wake = setTimeout(() => this.fire(), Math.min(waitMs, MAX_TIMEOUT_MS));
  }

  /** Runs what is due now, in order; timers scheduled meanwhile wait for the next wake, even if due. */
  private fire(): void {
    this.wake = null;
    this.wakeAtMs = Number.POSITIVE_INFINITY;
    const now = this.now();
    const before = this.nextId;
    this.firing = true;
    try {
      for (;;) {
        if (this.frozenAtMs !== null) break; // a timer paused the clock
        const next = this.queue.peek();
        if (!next || next.atMs > now || next.seq >= before) break;
        this.queue.pop()!();
      }
    } finally {
      this.firing = false;
      this.arm();
    }
  }
}
