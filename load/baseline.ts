import { readFileSync } from 'node:fs';
import type { LoadReport } from './report-schema.ts';

/**
 * `--baseline old.json`: the figures that matter compared with an earlier run's report; a change
 * for the worse beyond the threshold (in percent) is a regression.
 */
type Direction = 'lower' | 'higher';
const COMPARED: readonly { figure: string; better: Direction; read: (r: LoadReport) => number | null }[] = [
  ...['all', 'wipe', 'retire', 'sync', 'delete'].flatMap((action) =>
    (['p50', 'p95', 'p99', 'max'] as const).map((p) => ({
      figure: `${p}(${action === 'all' ? 'propagation' : `${action}.propagation`})`,
      better: 'lower' as const,
      read: (r: LoadReport) => {
        const h = r.propagation[action];
        return h && h.count > 0 ? h[p] : null;
      },
    })),
  ),
  {
    figure: 'p99(enroll.latency)',
    better: 'lower',
    read: (r) => (r.enrollLatency.count > 0 ? r.enrollLatency.p99 : null),
  },
  {
    figure: 'p99(checkIn.lateness)',
    better: 'lower',
    // Reports from before check-in lateness was measured have none.
    read: (r) => (r.checkInLateness?.count ? r.checkInLateness.p99 : null),
  },
  { figure: 'connect.rate', better: 'higher', read: (r) => r.figures.connectRate },
  { figure: 'checkin.rate', better: 'higher', read: (r) => r.figures.checkInRate },
  { figure: 'enrolled', better: 'higher', read: (r) => r.figures.enrolled },
  { figure: 'errors', better: 'lower', read: (r) => r.figures.errors },
  ...(['service', 'agents'] as const).map((role) => ({
    figure: `bytes per device (${role})`,
    better: 'lower' as const,
    read: (r: LoadReport) => {
      const list = r.processes.filter((p) => p.role === role && p.bytesPerDevice !== null);
      return list.length > 0 ? Math.max(...list.map((p) => p.bytesPerDevice!)) : null;
    },
  })),
];

export type Regression = NonNullable<LoadReport['baseline']>['regressions'][number];

export function compareRuns(before: LoadReport, after: LoadReport, thresholdPercent: number): Regression[] {
  const out: Regression[] = [];
  for (const c of COMPARED) {
    const b = c.read(before);
    const a = c.read(after);
    if (b === null || a === null) continue;
    // From zero any rise is a regression (errors 0 → 3); the change is then reported as 100%.
    const changePercent = b === 0 ? (a === 0 ? 0 : 100) : ((a - b) / Math.abs(b)) * 100;
    const worse = c.better === 'lower' ? changePercent > thresholdPercent : -changePercent > thresholdPercent;
    if (worse)
      out.push({ figure: c.figure, before: b, after: a, changePercent: Math.round(changePercent * 10) / 10 });
  }
  return out;
}

export class BaselineError extends Error {
  override name = 'BaselineError';
}

/** Reads an earlier report, refusing a file that is not one (before anything starts). */
export function readBaseline(path: string): LoadReport {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new BaselineError(`--baseline: cannot read "${path}" as JSON: ${(e as Error).message}`);
  }
  if ((parsed as { schema?: unknown })?.schema !== 'fleetsim-load-report/1')
    throw new BaselineError(
      `--baseline: "${path}" is not a fleetsim load report (no "schema": "fleetsim-load-report/1")`,
    );
  return parsed as LoadReport;
}
