import { describe, expect, it } from 'vitest';
import { nextScheduledCheckIn } from '../../agent/runtime/check-in-schedule.ts';
import { PLATFORMS } from '../../sim/platforms/index.ts';
import { createRng } from '../../sim/prng.ts';
import { HOUR_MS, MINUTE_MS } from '../../sim/time-units.ts';

/** The check-in times a device follows from enrollment, for the first `hours`. */
function times(platform: keyof typeof PLATFORMS, hours: number): number[] {
  const rng = createRng('schedule');
  const out: number[] = [];
  let t = 0;
  while (t < hours * HOUR_MS) {
    t = nextScheduledCheckIn(PLATFORMS[platform].checkIn, 0, t, rng);
    out.push(t);
  }
  return out;
}

const minutes = (ms: number[]) => ms.map((t) => t / MINUTE_MS);

describe('S-3: check-in schedules of newly enrolled devices', () => {
  it('iOS/iPadOS and macOS: every 15 minutes for an hour, then about every 8 hours', () => {
    for (const platform of ['ios', 'macos'] as const) {
      const t = times(platform, 30);
      expect(minutes(t.slice(0, 4))).toEqual([15, 30, 45, 60]);
      const gaps = t.slice(4).map((x, i) => x - t[3 + i]!);
      for (const gap of gaps) {
        expect(gap).toBeGreaterThanOrEqual(8 * HOUR_MS * 0.9);
        expect(gap).toBeLessThanOrEqual(8 * HOUR_MS * 1.1);
      }
    }
  });

  it('Android and Windows 10: every 3 minutes for 15 minutes, then every 15 minutes for 2 hours, then about every 8 hours', () => {
    for (const platform of [
      'androidDeviceAdmin',
      'androidKnox',
      'androidWorkProfile',
      'androidDedicated',
      'androidFullyManaged',
      'androidCorporateWorkProfile',
      'windows10',
    ] as const) {
      const t = times(platform, 20);
      expect(minutes(t.slice(0, 5)), platform).toEqual([3, 6, 9, 12, 15]);
      expect(minutes(t.slice(5, 13)), platform).toEqual([30, 45, 60, 75, 90, 105, 120, 135]);
      const steady = t[13]! - t[12]!;
      expect(steady).toBeGreaterThanOrEqual(8 * HOUR_MS * 0.9);
      expect(steady).toBeLessThanOrEqual(8 * HOUR_MS * 1.1);
    }
  });

  it('Windows 8.1, RT 8.1 and RT: every 5 minutes for 15 minutes, then every 15 minutes for 2 hours', () => {
    for (const platform of ['windows81', 'windowsRT81', 'windowsRT'] as const) {
      const t = times(platform, 3);
      expect(minutes(t.slice(0, 3)), platform).toEqual([5, 10, 15]);
      expect(minutes(t.slice(3, 11)), platform).toEqual([30, 45, 60, 75, 90, 105, 120, 135]);
      expect(t[11]! - t[10]!).toBeGreaterThan(7 * HOUR_MS);
    }
  });

  it('the ~8-hour jitter is seeded: the same seed gives the same times, another seed other times', () => {
    const a = nextScheduledCheckIn(PLATFORMS.ios.checkIn, 0, 10 * HOUR_MS, createRng('a'));
    expect(nextScheduledCheckIn(PLATFORMS.ios.checkIn, 0, 10 * HOUR_MS, createRng('a'))).toBe(a);
    expect(nextScheduledCheckIn(PLATFORMS.ios.checkIn, 0, 10 * HOUR_MS, createRng('b'))).not.toBe(a);
  });
});
