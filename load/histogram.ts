import type { JsHistogram } from 'hdr-histogram-js';
import * as hdr from 'hdr-histogram-js';

/**
 * Latency distributions as HDR histograms (hdr-histogram-js, 3 significant digits, pure JS so
 * every process builds them alike): each process records its own, sends it encoded, and the
 * coordinator merges them, so percentiles come from every sample, not from averaged percentiles.
 */
const LOWEST_MS = 1;
/** Longer than any run: a value above it is clamped, never thrown on. */
export const HIGHEST_MS = 30 * 24 * 3600 * 1000;

export type Histogram = hdr.Histogram;

export function newHistogram(): Histogram {
  return hdr.build({
    lowestDiscernibleValue: LOWEST_MS,
    highestTrackableValue: HIGHEST_MS,
    numberOfSignificantValueDigits: 3,
    bitBucketSize: 'packed',
    useWebAssembly: false,
  });
}

export function record(h: Histogram, ms: number): void {
  h.recordValue(Math.min(HIGHEST_MS, Math.max(0, Math.round(ms))));
}

export function encode(h: Histogram): string {
  return hdr.encodeIntoCompressedBase64(h);
}

export function decode(text: string): Histogram {
  return hdr.decodeFromCompressedBase64(text, 'packed', false);
}

/** A new histogram holding every sample of the given ones. */
export function merge(parts: readonly Histogram[]): Histogram {
  const all = newHistogram();
  for (const p of parts) all.add(p);
  return all;
}

export interface Percentiles {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function percentiles(h: Histogram): Percentiles {
  if (h.totalCount === 0) return { count: 0, p50: 0, p95: 0, p99: 0, max: 0 };
  return {
    count: h.totalCount,
    p50: h.getValueAtPercentile(50),
    p95: h.getValueAtPercentile(95),
    p99: h.getValueAtPercentile(99),
    // As the percentiles are: the top of the largest sample's HDR bucket, so p99 <= max always.
    max: h.getValueAtPercentile(100),
  };
}

/**
 * Counts per bucket of `bucketMs`, the last bucket holding everything from (count-1)×bucketMs on.
 * Each recorded HDR bucket goes by its highest equivalent value: within the 0.1% resolution a
 * sample near an edge is counted late, never early (15 min is never shown under 15).
 */
export function buckets(h: Histogram, bucketMs: number, count: number): number[] {
  const out = Array.from({ length: count }, () => 0);
  const js = h as unknown as JsHistogram;
  for (let i = 0; i < js.countsArrayLength; i++) {
    const n = js.getCountAtIndex(i);
    if (n === 0) continue;
    out[Math.min(count - 1, Math.floor(js.highestEquivalentValue(js.valueFromIndex(i)) / bucketMs))]! += n;
  }
  return out;
}
