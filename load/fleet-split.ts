import type { CohortSpec } from '../sim/cohort.ts';

/**
 * The mix (a preset or fleet file) scaled to N devices and split over the agent processes: each
 * cohort keeps its share of the fleet (largest remainder), and each process gets its share of
 * every cohort, so every process runs the same mix.
 */
export function scaleMix(cohorts: readonly CohortSpec[], devices: number): CohortSpec[] {
  return shares(
    cohorts.map((c) => c.count),
    devices,
  )
    .map((count, i) => ({ ...cohorts[i]!, count }))
    .filter((c) => c.count > 0);
}

/** Splits the scaled cohorts over processes holding `perProcess[i]` devices each. */
export function splitFleet(cohorts: readonly CohortSpec[], perProcess: readonly number[]): CohortSpec[][] {
  const left = cohorts.map((c) => c.count);
  return perProcess.map((size) => {
    // This process's share of what is left of each cohort, so the last one takes exactly the rest
    // (a share of what is left never exceeds it: size <= the devices left).
    const counts = shares(left, size);
    return cohorts
      .map((c, i) => {
        left[i]! -= counts[i]!;
        return { ...c, count: counts[i]! };
      })
      .filter((c) => c.count > 0);
  });
}

/** `total` split in proportion to `weights`, by largest remainder. */
function shares(weights: readonly number[], total: number): number[] {
  const of = weights.reduce((a, b) => a + b, 0);
  if (of === 0) return weights.map(() => 0);
  const exact = weights.map((w) => (w * total) / of);
  const out = exact.map(Math.floor);
  let rest = total - out.reduce((a, b) => a + b, 0);
  const order = exact
    .map((e, i) => ({ i, frac: e - Math.floor(e) }))
    .sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (const { i } of order) {
    if (rest <= 0) break;
    out[i]!++;
    rest--;
  }
  return out;
}
