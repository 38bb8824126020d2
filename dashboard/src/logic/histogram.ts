/** The promise W-7 and R-4 measure against: a device on and connected gets an action within 15 minutes. */
export const PROPAGATION_LIMIT_MS = 15 * 60_000;

export interface Histogram {
  binMs: number;
  counts: number[];
  over: number;
  maxCount: number;
}

/** Propagation times in bins of `binMs` up to twice the 15-minute line; the rest counted as `over`. */
export function propagationHistogram(timesMs: readonly number[], binMs = 60_000): Histogram {
  const bins = Math.ceil((2 * PROPAGATION_LIMIT_MS) / binMs);
  const counts = new Array<number>(bins).fill(0);
  let over = 0;
  for (const t of timesMs) {
    const i = Math.floor(t / binMs);
    if (i < bins) counts[i]!++;
    else over++;
  }
  return { binMs, counts, over, maxCount: Math.max(1, ...counts) };
}
