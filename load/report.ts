import { readFileSync } from 'node:fs';
import { arch, cpus, platform, release, totalmem } from 'node:os';
import { buckets, encode, type Histogram, percentiles } from './histogram.ts';
import type { LoadPlan } from './plan.ts';
import type { LoadReport } from './report-schema.ts';
import type { RunData } from './run-load.ts';
import { evaluateSlo, type SloSubject } from './slo.ts';

const MINUTE_MS = 60_000;

function versionOf(pkg: string): string {
  try {
    const url = new URL(`../node_modules/${pkg}/package.json`, import.meta.url);
    return (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** Every figure of a run, the SLO verdicts included; the baseline's verdicts are added by the caller. */
export function buildReport(
  plan: LoadPlan,
  run: RunData,
  meta: { command: string[]; startedAt: string },
): LoadReport {
  const { tally } = run;
  const histograms = new Map<string, Histogram>(tally.propagation);
  const platforms = [...tally.platforms.entries()]
    .map(([name, c]) => ({ platform: name, ...c }))
    .sort((a, b) => a.platform.localeCompare(b.platform));
  const sum = (k: 'targeted' | 'acknowledged' | 'refused' | 'done' | 'failed') =>
    platforms.reduce((n, p) => n + p[k], 0);
  const enrollSeconds =
    tally.lastFirstEnrollWallMs === null
      ? 0
      : Math.max(0.001, (tally.lastFirstEnrollWallMs - run.startAtWallMs) / 1000);
  const figures: LoadReport['figures'] = {
    devices: plan.devices,
    enrolled: tally.serialsEnrolled.size,
    enrollments: tally.enrollments,
    removed: tally.removed,
    connected: run.connected,
    errors: tally.errorCount,
    checkIns: tally.checkIns,
    delivered: tally.delivered,
    targeted: sum('targeted'),
    coalesced: tally.coalesced,
    acknowledged: sum('acknowledged'),
    pending: tally.pendingCount,
    refused: sum('refused'),
    done: sum('done'),
    failed: sum('failed'),
    connectRate: enrollSeconds > 0 ? tally.serialsEnrolled.size / enrollSeconds : 0,
    checkInRate: run.wallMs > 0 ? tally.checkIns / (run.wallMs / 1000) : 0,
    brokerMessages: run.brokerMessages,
    brokerMessageRate:
      run.brokerMessages === null ? null : run.wallMs > 0 ? run.brokerMessages / (run.wallMs / 1000) : 0,
  };
  const subject: SloSubject = {
    devices: plan.devices,
    figure: (metric) => FIGURE_OF[metric]!(figures),
    percentile: (metric, p) => {
      const h =
        metric === 'enroll.latency'
          ? run.enrollLatency
          : metric === 'checkIn.lateness'
            ? tally.checkInLateness
            : histograms.get(metric === 'propagation' ? 'all' : metric.replace(/\.propagation$/, ''));
      if (!h || h.totalCount === 0) return null;
      return h.getValueAtPercentile(Math.min(100, p));
    },
  };
  const slos = plan.slos.map((s) => evaluateSlo(s, subject));
  const cpu = cpus();
  return {
    schema: 'fleetsim-load-report/1',
    command: meta.command,
    seed: plan.seed,
    startedAt: meta.startedAt,
    versions: {
      fleetsim: versionOf('..'),
      node: process.version,
      aedes: versionOf('aedes'),
      mqtt: versionOf('mqtt'),
    },
    machine: {
      platform: `${platform()}-${arch()}`,
      release: release(),
      cpus: cpu.length,
      cpuModel: cpu[0]?.model ?? 'unknown',
      memoryBytes: totalmem(),
      descriptorLimit: Math.min(plan.processes.limit, Number.MAX_SAFE_INTEGER),
    },
    target: { kind: plan.target.kind, broker: run.broker, api: run.api },
    plan: {
      devices: plan.devices,
      processes: plan.processes.processes,
      perProcess: plan.processes.perProcess,
      rampPerSecond: plan.rampPerSecond,
      durationMs: plan.durationMs,
      speed: run.speed,
    },
    wallMs: Math.round(run.wallMs),
    simMs: Math.round(run.simMs),
    figures,
    propagation: Object.fromEntries([...histograms].map(([k, h]) => [k, percentiles(h)])),
    propagationByMinute: Object.fromEntries([...histograms].map(([k, h]) => [k, buckets(h, MINUTE_MS, 16)])),
    enrollLatency: percentiles(run.enrollLatency),
    checkInLateness: percentiles(tally.checkInLateness),
    histograms: Object.fromEntries([
      ...[...histograms].map(([k, h]) => [`propagation.${k}`, encode(h)]),
      ['enroll.latency', encode(run.enrollLatency)],
      ['checkIn.lateness', encode(tally.checkInLateness)],
    ]),
    actions: run.outcomes.map((o, i) => ({
      ...o,
      atMs: o.atMs,
      sentLateMs: Math.round(o.sentLateMs),
      acknowledged: tally.steps.get(i)?.acknowledged ?? 0,
    })),
    platforms,
    errors: { ...tally.errors },
    timeline: run.timeline.map((t) => ({ ...t, simMs: Math.round(t.simMs) })),
    processes: run.processes,
    warnings: run.warnings,
    service: run.service,
    slos,
    baseline: null,
    verdict: slos.every((s) => s.holds) ? 'pass' : 'fail',
  };
}

/** The single figures an SLO may name, read from the report's figures. */
const FIGURE_OF: Readonly<Record<string, (f: LoadReport['figures']) => number | null>> = {
  enrolled: (f) => f.enrolled,
  connected: (f) => f.connected,
  errors: (f) => f.errors,
  'actions.acknowledged': (f) => f.acknowledged,
  'actions.pending': (f) => f.pending,
  'actions.failed': (f) => f.failed,
  'actions.refused': (f) => f.refused,
  'connect.rate': (f) => f.connectRate,
  'checkin.rate': (f) => f.checkInRate,
  'messages.rate': (f) => f.brokerMessageRate,
};
