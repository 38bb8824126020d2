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
 */
export class ScaledClock implements Clock {
  readonly mode = 'scaled' as const;
  private anchorValue: ClockAnchor;
  private timers = new Map<number, { atMs: number; fn: () => void; handle: NodeJS.Timeout | null }>();
  private nextId = 1;
  private frozenAtMs: number | null = null;

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
    for (const t of this.timers.values()) if (t.handle) clearTimeout(t.handle);
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
    for (const [id, t] of this.timers) {
      if (t.handle) clearTimeout(t.handle);
      this.arm(id);
    }
  }

  schedule(atMs: number, _key: string, fn: () => void): TimerHandle {
    const id = this.nextId++;
    this.timers.set(id, { atMs, fn, handle: null });
    this.arm(id);
    return { id };
  }

  cancel(handle: TimerHandle): void {
    const t = this.timers.get(handle.id);
    if (t?.handle) clearTimeout(t.handle);
    this.timers.delete(handle.id);
  }

  /** Cancels every pending timer (shutdown). */
  dispose(): void {
    for (const id of [...this.timers.keys()]) this.cancel({ id });
  }

  private arm(id: number): void {
    const t = this.timers.get(id);
    if (!t || this.frozenAtMs !== null) return;
    const waitMs = Math.max(0, (t.atMs - this.now()) / this.anchorValue.speed);
    t.handle = setTimeout(
      () => {
        if (this.now() < t.atMs) return this.arm(id); // woke early (re-armed long wait)
        this.timers.delete(id);
        t.fn();
      },
      Math.min(waitMs, MAX_TIMEOUT_MS),
    );
  }
}
