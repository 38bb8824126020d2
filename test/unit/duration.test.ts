import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../sim/duration.ts';

describe('durations', () => {
  it.each([
    ['250ms', 250],
    ['90s', 90_000],
    ['15m', 900_000],
    ['1.5h', 5_400_000],
    ['30d', 2_592_000_000],
    ['3h12m', 11_520_000],
    ['1d6h', 108_000_000],
    ['PT15M', 900_000],
    ['P1DT12H', 129_600_000],
    ['PT0.5S', 500],
  ])('%s = %i ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });
  it.each(['', '15', 'm15', 'P', 'PT', '15 minutes', '-5m'])('refuses "%s"', (text) => {
    expect(() => parseDuration(text)).toThrow(/is not a duration/);
  });
});
