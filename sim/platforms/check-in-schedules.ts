import { HOUR_MS, MINUTE_MS } from '../time-units.ts';
import type { CheckInSchedule } from './types.ts';

/** S-3 — the refresh cycles Intune documents for newly enrolled devices, then about every 8 h. */
const STEADY = { steadyIntervalMs: 8 * HOUR_MS, jitterRatio: 0.1 } as const;

/** S-3: iOS/iPadOS and macOS: every 15 minutes for 1 hour. */
export const APPLE_CHECK_IN: CheckInSchedule = {
  phases: [{ intervalMs: 15 * MINUTE_MS, forMs: HOUR_MS }],
  ...STEADY,
};

/** S-3: Android and Windows 10: every 3 minutes for 15 minutes, then every 15 minutes for 2 hours. */
export const ANDROID_AND_WINDOWS_10_CHECK_IN: CheckInSchedule = {
  phases: [
    { intervalMs: 3 * MINUTE_MS, forMs: 15 * MINUTE_MS },
    { intervalMs: 15 * MINUTE_MS, forMs: 2 * HOUR_MS },
  ],
  ...STEADY,
};

/** S-3: Windows 8.1, RT 8.1 and RT: every 5 minutes for 15 minutes, then every 15 minutes for 2 hours. */
export const WINDOWS_8_CHECK_IN: CheckInSchedule = {
  phases: [
    { intervalMs: 5 * MINUTE_MS, forMs: 15 * MINUTE_MS },
    { intervalMs: 15 * MINUTE_MS, forMs: 2 * HOUR_MS },
  ],
  ...STEADY,
};
