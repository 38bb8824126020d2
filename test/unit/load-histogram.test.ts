import { describe, expect, it } from 'vitest';
import { buckets, decode, encode, merge, newHistogram, percentiles, record } from '../../load/histogram.ts';

describe('HDR histograms across processes', () => {
  it('merged after encoding, they hold every sample: percentiles of the whole, not averages of parts', () => {
    const fast = newHistogram();
    const slow = newHistogram();
    for (let i = 1; i <= 900; i++) record(fast, 1000); // 900 samples at 1 s
    for (let i = 1; i <= 100; i++) record(slow, 600_000); // 100 at 10 min
    const all = merge([decode(encode(fast)), decode(encode(slow))]);
    const p = percentiles(all);
    expect(p.count).toBe(1000);
    // 3 significant digits: within 0.1%.
    expect(p.p50).toBeGreaterThanOrEqual(1000);
    expect(p.p50).toBeLessThanOrEqual(1001);
    expect(p.p95).toBeGreaterThanOrEqual(600_000);
    expect(p.p95).toBeLessThanOrEqual(600_600);
    expect(p.max).toBeLessThanOrEqual(600_600);
    expect(p.p50 <= p.p95 && p.p95 <= p.p99 && p.p99 <= p.max).toBe(true);
  });

  it('an empty histogram reports zeros with a count of 0, and merging nothing is empty', () => {
    expect(percentiles(merge([]))).toEqual({ count: 0, p50: 0, p95: 0, p99: 0, max: 0 });
  });

  it('negative and huge values are clamped, never thrown on', () => {
    const h = newHistogram();
    record(h, -5);
    record(h, 1e15);
    expect(h.totalCount).toBe(2);
  });

  it('buckets per minute add up to the count; the last holds everything from 15 minutes on', () => {
    const h = newHistogram();
    for (const m of [0.5, 0.5, 3.2, 14.9, 15, 40]) record(h, m * 60_000);
    const b = buckets(h, 60_000, 16);
    expect(b.reduce((x, y) => x + y, 0)).toBe(6);
    expect(b[0]).toBe(2);
    expect(b[3]).toBe(1);
    expect(b[14]).toBe(1);
    expect(b[15]).toBe(2);
  });
});
