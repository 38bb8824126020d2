import type { Clock, TimerHandle } from '../../sim/clock/types.ts';
import { flat } from '../../sim/flat-string.ts';
import type { CheckInSchedule } from '../../sim/platforms/types.ts';
import type { Rng } from '../../sim/prng.ts';
import { SECOND_MS } from '../../sim/time-units.ts';
import { nextScheduledCheckIn } from './check-in-schedule.ts';

/** A device that was pushed checks in within a minute (S-4: "within minutes"). */
const PUSH_REACTION_MS: readonly [number, number] = [5 * SECOND_MS, 60 * SECOND_MS];
/** No check-in is due: later than every time, so the earliest due time is a plain `Math.min`. */
const NONE_DUE = Number.POSITIVE_INFINITY;

/** Told when a check-in is due. */
export interface CheckInDue {
  checkInDue(reason: 'schedule' | 'push'): void;
}

export interface CheckInTimerDeps {
  clock: Clock;
  /** The device's own stream: the model draws from it too, so the order of draws is the device's. */
  rng: Rng;
  serialNumber: string;
  schedule: CheckInSchedule;
}

/**
 * When a device checks in on its own: its platform's schedule (S-3) and a push's wake-up (S-4),
 * and when the check-in about to go out was due, so one that goes late says so on the wire and
 * lateness is measured from when it was due, never from when a busy process got round to it.
 */
export class CheckInTimer {
  private scheduled: TimerHandle | null = null;
  private scheduledAtMs = 0;
  /** The handle of the scheduled check-in's timer, kept after it ran so the clock may reuse it. */
  private lastRun: TimerHandle | null = null;
  private pushed: TimerHandle | null = null;
  /**
   * When the check-in about to go out was due; NONE_DUE when none is. A number, never null: a field
   * V8 has seen hold null keeps each time stored in it as a new object of its own (issue 11).
   */
  private dueAtMs = NONE_DUE;
  /** Tie-break keys, made once rather than at every check-in. */
  private readonly scheduleKey: string;
  private readonly pushKey: string;

  constructor(
    private readonly deps: CheckInTimerDeps,
    private readonly due: CheckInDue,
  ) {
    this.scheduleKey = flat(`agent:${deps.serialNumber}:checkIn`);
    this.pushKey = flat(`agent:${deps.serialNumber}:push`);
  }

  /** The next scheduled check-in, counted from enrollment; replaces the one scheduled before. */
  scheduleNext(enrolledAtMs: number): void {
    const { clock, rng, schedule } = this.deps;
    if (this.scheduled) clock.cancel(this.scheduled);
    this.scheduledAtMs = nextScheduledCheckIn(schedule, enrolledAtMs, clock.now(), rng);
    // One callback for the device's life, and the timer that ran last given back to the clock:
    // a check-in made nothing that outlives it but the device's own state.
    this.scheduled = clock.schedule(
      this.scheduledAtMs,
      this.scheduleKey,
      this.scheduledDue,
      this.lastRun ?? undefined,
    );
    this.lastRun = this.scheduled;
  }

  private readonly scheduledDue = (): void => {
    this.scheduled = null;
    this.becameDue(this.scheduledAtMs);
    this.due.checkInDue('schedule');
  };

  /** A push arrived: check in within a minute. One wake-up is enough. */
  push(): void {
    if (this.pushed) return;
    const { clock, rng } = this.deps;
    const at = clock.now() + rng.int(PUSH_REACTION_MS[0], PUSH_REACTION_MS[1]);
    this.pushed = clock.schedule(at, this.pushKey, () => {
      this.pushed = null;
      this.becameDue(at);
      this.due.checkInDue('push');
    });
  }

  /** The check-in goes out now: when it was due, if that is past (it went late). */
  takeLateDue(): number | null {
    const due = this.dueAtMs;
    this.dueAtMs = NONE_DUE;
    return due < this.deps.clock.now() ? due : null;
  }

  /** A scheduled check-in missed (no network): nothing is owed; the next one (if enrolled) is still due. */
  missed(enrolledAtMs: number | null): void {
    this.dueAtMs = NONE_DUE;
    if (enrolledAtMs !== null) this.scheduleNext(enrolledAtMs);
  }

  /** No check-in is owed any more (a reset, shutdown, leaving management). */
  cancel(): void {
    this.dueAtMs = NONE_DUE;
    for (const t of [this.scheduled, this.pushed]) if (t) this.deps.clock.cancel(t);
    this.scheduled = null;
    this.pushed = null;
  }

  /** The earliest due time of the check-ins not yet sent is the one the next check-in answers to. */
  private becameDue(atMs: number): void {
    this.dueAtMs = Math.min(atMs, this.dueAtMs);
  }
}
