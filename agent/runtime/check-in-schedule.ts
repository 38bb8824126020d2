import type { CheckInSchedule } from '../../sim/platforms/types.ts';
import type { Rng } from '../../sim/prng.ts';

/**
 * S-3: when a device next checks in on its own. Newly enrolled devices follow their platform's
 * phases (every 3, 5 or 15 minutes for a while), then about every 8 hours with seeded jitter.
 * Phases run one after the other from enrollment.
 */
export function nextScheduledCheckIn(
  schedule: CheckInSchedule,
  enrolledAtMs: number,
  afterMs: number,
  rng: Rng,
): number {
  let phaseStart = enrolledAtMs;
  for (const phase of schedule.phases) {
    const phaseEnd = phaseStart + phase.forMs;
    if (afterMs < phaseEnd) {
      const k = Math.floor((afterMs - phaseStart) / phase.intervalMs) + 1;
      const at = phaseStart + k * phase.intervalMs;
      if (at <= phaseEnd) return at;
    }
    phaseStart = phaseEnd;
  }
  const jitter = 1 + (rng.next() * 2 - 1) * schedule.jitterRatio;
  return Math.max(afterMs, phaseStart) + Math.round(schedule.steadyIntervalMs * jitter);
}
