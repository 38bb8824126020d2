import type { EventLog } from '../../sim/events.ts';

const minutes = (ms: number) => `${(ms / 60_000).toFixed(1)} min`;

/** The lines `fleetsim demo` prints when it ends: what was done and how fast it reached devices. */
export function demoSummary(log: EventLog, wallSeconds: number): string[] {
  const requested = log.ofType('action.requested');
  const completed = log.ofType('action.completed');
  const statuses = new Map<string, number>();
  for (const c of completed) statuses.set(c.status, (statuses.get(c.status) ?? 0) + 1);
  const times = log
    .ofType('action.acknowledged')
    .map((e) => e.propagationMs)
    .sort((a, b) => a - b);
  const within = times.filter((t) => t <= 15 * 60_000).length;
  const p = (q: number) => minutes(times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)]!);
  return [
    `fleetsim demo ended after ${wallSeconds.toFixed(0)} s`,
    `  actions: ${requested.length} sent, ${log.ofType('action.refused').length} refused, ${completed.length} finished${statuses.size ? ` (${[...statuses].map(([s, n]) => `${n} ${s}`).join(', ')})` : ''}`,
    times.length
      ? `  propagation: ${times.length} acknowledged, ${within} within 15 min; p50 ${p(0.5)}, p95 ${p(0.95)}, max ${minutes(times.at(-1)!)}`
      : '  propagation: no action reached a device',
    `  devices removed from Intune: ${log.ofType('device.removed').length}; power cuts: ${log.ofType('agent.power').filter((e) => e.power === 'off').length}`,
  ];
}
