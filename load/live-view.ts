import { progressBar } from '../cli/progress-bar.ts';
import type { Percentiles } from './histogram.ts';
import type { ProcessSample } from './process-stats.ts';
import { formatMs } from './slo.ts';
import type { PlatformCounts } from './tally.ts';

/** One second of a load run, as the live view shows it. */
export interface LiveSnapshot {
  wallMs: number;
  simMs: number;
  durationMs: number;
  speed: number;
  devices: number;
  enrolled: number;
  connected: number;
  connectsPerSecond: number;
  checkInsPerSecond: number;
  delivered: number;
  pending: number;
  platforms: ReadonlyMap<string, PlatformCounts>;
  propagation: Percentiles;
  checkInLateness: Percentiles;
  brokerMessagesPerSecond: number | null;
  errors: Readonly<Record<string, number>>;
  processes: readonly { name: string; sample: ProcessSample | null }[];
}

const mb = (bytes: number) => `${Math.round(bytes / 1e6)}MB`;

function topErrors(errors: Readonly<Record<string, number>>, n: number): string {
  const list = Object.entries(errors).sort((a, b) => b[1] - a[1]);
  if (list.length === 0) return 'none';
  const shown = list.slice(0, n).map(([reason, k]) => `${reason} ×${k}`);
  return `${shown.join('; ')}${list.length > n ? `; +${list.length - n} more reasons` : ''}`;
}

/** The terminal view: a block of lines redrawn in place every second. */
export function liveLines(s: LiveSnapshot): string[] {
  const p = s.propagation;
  const l = s.checkInLateness;
  const platforms = [...s.platforms.entries()]
    .filter(([, c]) => c.targeted > 0)
    .map(
      ([name, c]) =>
        `  ${name.padEnd(28)} pending ${String(c.targeted - c.acknowledged - c.refused).padStart(5)}  done ${String(c.done).padStart(5)}  failed ${String(c.failed).padStart(4)}  refused ${String(c.refused).padStart(4)}`,
    );
  return [
    `fleetsim load  wall ${formatMs(s.wallMs)}  sim ${formatMs(s.simMs)} of ${formatMs(s.durationMs)}  ×${s.speed}`,
    `connected ${progressBar(s.connected, s.devices, 30)}  enrolled ${s.enrolled}`,
    `connects/s ${Math.round(s.connectsPerSecond)}  check-ins/s ${Math.round(s.checkInsPerSecond)}  commands delivered ${s.delivered}  actions pending ${s.pending}${s.brokerMessagesPerSecond === null ? '' : `  broker msgs/s ${Math.round(s.brokerMessagesPerSecond)}`}`,
    `propagation (sim) p50 ${formatMs(p.p50)}  p95 ${formatMs(p.p95)}  p99 ${formatMs(p.p99)}  max ${formatMs(p.max)}  (${p.count} acknowledged)`,
    `check-in lateness (sim) p50 ${formatMs(l.p50)}  p95 ${formatMs(l.p95)}  p99 ${formatMs(l.p99)}  max ${formatMs(l.max)}  (${l.count} check-ins)`,
    ...(platforms.length > 0 ? ['actions by platform:', ...platforms] : []),
    `errors: ${topErrors(s.errors, 3)}`,
    ...s.processes.map(({ name, sample }) =>
      sample
        ? `  ${name.padEnd(10)} rss ${mb(sample.rssBytes).padStart(6)}  cpu ${String(Math.round(sample.cpu * 100)).padStart(3)}%  event-loop delay p99 ${Math.round(sample.eventLoopDelayP99Ms)}ms`
        : `  ${name.padEnd(10)} (no report yet)`,
    ),
  ];
}

/** Without a terminal: one line now and then. */
export function plainLine(s: LiveSnapshot): string {
  const p = s.propagation;
  const errors = Object.values(s.errors).reduce((a, b) => a + b, 0);
  const broker =
    s.brokerMessagesPerSecond === null ? '' : `, ${Math.round(s.brokerMessagesPerSecond)} broker msgs/s`;
  return `fleetsim load: sim ${formatMs(s.simMs)}/${formatMs(s.durationMs)}, ${s.enrolled}/${s.devices} enrolled, ${s.connected} connected, ${Math.round(s.connectsPerSecond)} connects/s, ${Math.round(s.checkInsPerSecond)} check-ins/s${broker}, ${s.delivered} delivered, ${s.pending} pending, propagation p50 ${formatMs(p.p50)} p99 ${formatMs(p.p99)} max ${formatMs(p.max)}, check-in lateness p99 ${formatMs(s.checkInLateness.p99)}, ${errors} errors`;
}

/** Redraws `lines` over the block drawn before (`previous` lines tall). */
export function redraw(lines: readonly string[], previous: number, width: number): string {
  const up = previous > 0 ? `\x1b[${previous}A` : '';
  return `${up}\x1b[0J${lines.map((l) => l.slice(0, Math.max(20, width - 1))).join('\n')}\n`;
}
