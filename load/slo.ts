import { parseDuration } from '../sim/duration.ts';

/**
 * Service-level objectives a load run is judged by: `p99(wipe.propagation) < 15m`, `errors == 0`,
 * `enrolled == 100%`, `connect.rate >= 1000/s`. Parsed once at the edge (an error names the text
 * and the part that is wrong), evaluated against the run's figures at the end.
 */
export type MetricKind = 'duration' | 'count' | 'rate';

/** Every metric an SLO may name, with its kind; counts that have a whole may be given as a percentage of it. */
export const SLO_METRICS: Readonly<
  Record<string, { kind: MetricKind; histogram: boolean; ofDevices?: true }>
> = {
  propagation: { kind: 'duration', histogram: true },
  'wipe.propagation': { kind: 'duration', histogram: true },
  'retire.propagation': { kind: 'duration', histogram: true },
  'sync.propagation': { kind: 'duration', histogram: true },
  'delete.propagation': { kind: 'duration', histogram: true },
  'enroll.latency': { kind: 'duration', histogram: true },
  'checkIn.lateness': { kind: 'duration', histogram: true },
  enrolled: { kind: 'count', histogram: false, ofDevices: true },
  connected: { kind: 'count', histogram: false, ofDevices: true },
  errors: { kind: 'count', histogram: false },
  'actions.acknowledged': { kind: 'count', histogram: false },
  'actions.pending': { kind: 'count', histogram: false },
  'actions.failed': { kind: 'count', histogram: false },
  'actions.refused': { kind: 'count', histogram: false },
  'connect.rate': { kind: 'rate', histogram: false },
  'checkin.rate': { kind: 'rate', histogram: false },
  'messages.rate': { kind: 'rate', histogram: false },
};

const OPERATORS = {
  '<': (a: number, b: number) => a < b,
  '<=': (a: number, b: number) => a <= b,
  '>': (a: number, b: number) => a > b,
  '>=': (a: number, b: number) => a >= b,
  '==': (a: number, b: number) => a === b,
  '!=': (a: number, b: number) => a !== b,
} as const;
type Operator = keyof typeof OPERATORS;

export interface Slo {
  text: string;
  metric: string;
  /** For a histogram metric: the percentile (100 for max). */
  percentile: number | null;
  op: Operator;
  /** In the metric's unit: ms, a count, per second; or a share of the devices when `percent`. */
  value: number;
  percent: boolean;
}

export class SloError extends Error {
  override name = 'SloError';
}

const SHAPE = /^\s*(?:(p\d+(?:\.\d+)?|max)\(\s*([\w.]+)\s*\)|([\w.]+))\s*(<=|>=|==|!=|<|>)\s*(\S+)\s*$/;

export function parseSlo(text: string): Slo {
  const fail = (why: string) => new SloError(`--slo "${text}": ${why}`);
  const m = SHAPE.exec(text);
  if (!m)
    throw fail(
      'write it like "p99(wipe.propagation) < 15m", "errors == 0", "enrolled == 100%" or "connect.rate >= 1000/s"',
    );
  const [, fn, fnMetric, plainMetric, op, valueText] = m as unknown as [
    string,
    string | undefined,
    string | undefined,
    string | undefined,
    Operator,
    string,
  ];
  const metric = (fnMetric ?? plainMetric)!;
  const spec = SLO_METRICS[metric];
  if (!spec) throw fail(`unknown metric "${metric}"; one of ${Object.keys(SLO_METRICS).join(', ')}`);
  let percentile: number | null = null;
  if (spec.histogram) {
    if (!fn)
      throw fail(`"${metric}" is a distribution: name a percentile, as in p99(${metric}) or max(${metric})`);
    percentile = fn === 'max' ? 100 : Number(fn.slice(1));
    if (!(percentile > 0 && percentile <= 100)) throw fail(`a percentile is from p0.1 to p100, got ${fn}`);
  } else if (fn) throw fail(`"${metric}" is a single figure: compare it without ${fn}(…)`);
  const { value, percent } = parseValue(valueText, spec.kind, spec.ofDevices === true, fail);
  return { text: text.trim(), metric, percentile, op, value, percent };
}

function parseValue(
  text: string,
  kind: MetricKind,
  percentAllowed: boolean,
  fail: (why: string) => SloError,
): { value: number; percent: boolean } {
  if (text.endsWith('%')) {
    if (!percentAllowed) throw fail(`a percentage applies to enrolled or connected, not to this metric`);
    const n = Number(text.slice(0, -1));
    if (!Number.isFinite(n) || n < 0 || n > 100) throw fail(`a percentage is from 0% to 100%, got ${text}`);
    return { value: n, percent: true };
  }
  if (kind === 'duration') {
    if (text === '0') return { value: 0, percent: false };
    try {
      return { value: parseDuration(text), percent: false };
    } catch {
      throw fail(`expected a duration such as 15m, 90s or 250ms, got "${text}"`);
    }
  }
  if (kind === 'rate') {
    const r = /^(\d+(?:\.\d+)?)\/s$/.exec(text);
    if (!r) throw fail(`expected a rate per second such as 1000/s, got "${text}"`);
    return { value: Number(r[1]), percent: false };
  }
  const n = Number(text);
  if (!/^\d+$/.test(text))
    throw fail(`expected a whole number${percentAllowed ? ' or a percentage' : ''}, got "${text}"`);
  return { value: n, percent: false };
}

/** What the evaluator reads: single figures, the number of devices, and percentiles of distributions. */
export interface SloSubject {
  devices: number;
  /** Null when the run has no such figure (a service that did not report it). */
  figure(metric: string): number | null;
  /** Null when the distribution holds no samples (an objective over nothing does not hold). */
  percentile(metric: string, percentile: number): number | null;
}

export interface SloVerdict {
  slo: string;
  holds: boolean;
  found: string;
}

export function formatValue(slo: Pick<Slo, 'metric' | 'percent'>, value: number): string {
  const kind = SLO_METRICS[slo.metric]!.kind;
  if (slo.percent) return `${Math.round(value * 100) / 100}%`;
  if (kind === 'duration') return formatMs(value);
  if (kind === 'rate') return `${Math.round(value * 10) / 10}/s`;
  return String(value);
}

export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${Math.round(ms / 100) / 10}s`;
  return `${Math.round(ms / 6000) / 10}m`;
}

export function evaluateSlo(slo: Slo, subject: SloSubject): SloVerdict {
  let found: number | null;
  if (slo.percentile !== null) found = subject.percentile(slo.metric, slo.percentile);
  else {
    const raw = subject.figure(slo.metric);
    found = raw === null || !slo.percent ? raw : subject.devices > 0 ? (raw / subject.devices) * 100 : 0;
  }
  if (found === null) return { slo: slo.text, holds: false, found: 'no samples' };
  return { slo: slo.text, holds: OPERATORS[slo.op](found, slo.value), found: formatValue(slo, found) };
}

/** An SLO file: one objective a line; blank lines and lines starting with # are skipped. */
export function parseSloFile(text: string, file: string): Slo[] {
  return text.split('\n').flatMap((line, i) => {
    const t = line.trim();
    if (!t || t.startsWith('#')) return [];
    try {
      return [parseSlo(t)];
    } catch (e) {
      throw new SloError(`${file}:${i + 1}: ${(e as Error).message.replace(/^--slo /, '')}`);
    }
  });
}
