import type { BareFigures } from './bare-loop.ts';
import type { ActionRound, FleetsimFigures } from './fleetsim-loop.ts';

/** Issue 10's targets on the 2-core machine. */
export const TARGETS = {
  /** fleetsim's connect (enroll) and command round-trip rates, as a share of the bare loop's. */
  rateRatioMin: 0.75,
  agentsKbPerDeviceMax: 40,
  serviceKbPerDeviceMax: 30,
};

const fixed = (n: number, digits = 0) =>
  Number.isFinite(n) && !Object.is(n, -0)
    ? n.toLocaleString('en-US', { maximumFractionDigits: digits })
    : '—';
const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');

interface Row {
  figure: string;
  bare: number;
  fleetsim: number;
  /** 'rate': higher is better, the ratio is judged; 'memory': judged on fleetsim's own figure. */
  judge: { kind: 'rate' } | { kind: 'memory'; max: number } | { kind: 'info' };
}

function rows(b: BareFigures, f: FleetsimFigures): Row[] {
  const perDevice = (kbNow: number, kbIdle: number, n: number) => (kbNow - kbIdle) / n;
  // fleetsim's CPU per round trip, set beside the bare loop's one exchange and fleetsim's round.
  const roundCpuMs = {
    service: (1000 * f.phases.sync.serviceCpuS) / f.sync.acknowledged,
    agents: (1000 * f.phases.sync.agentsCpuS) / f.sync.acknowledged,
  };
  return [
    {
      figure: 'connects/s (fleetsim: enrolled and up/s)',
      bare: b.devices / b.connectSpanS,
      fleetsim: f.enrolled / f.enrollSpanS,
      judge: { kind: 'rate' },
    },
    {
      figure: '  the same, incl. process start',
      bare: b.devices / b.connectWithStartS,
      fleetsim: f.enrolled / f.enrollWithStartS,
      judge: { kind: 'info' },
    },
    {
      figure: 'command round trips/s, all (fleetsim: bulk sync)',
      bare: b.devices / b.roundAllS,
      fleetsim: f.sync.acknowledged / f.sync.spanS,
      judge: { kind: 'rate' },
    },
    {
      figure: "  bare in fleetsim's round of a sync, QoS 1 (no model, no store)",
      bare: b.devices / b.roundProtocolS,
      fleetsim: f.sync.acknowledged / f.sync.spanS,
      judge: { kind: 'info' },
    },
    {
      figure: "  bare in fleetsim's round at QoS 0, as fleetsim's",
      bare: b.devices / b.roundProtocolQos0S,
      fleetsim: f.sync.acknowledged / f.sync.spanS,
      judge: { kind: 'info' },
    },
    {
      figure: 'command round trips/s, 10% (fleetsim: bulk wipe)',
      bare: b.tenth / b.roundTenthS,
      fleetsim: f.wipe.acknowledged / f.wipe.spanS,
      judge: { kind: 'info' },
    },
    // CPU cost per device: unlike the rates, it holds on a machine other work is slowing down.
    {
      figure: 'CPU ms/device connecting, broker+service',
      bare: (1000 * b.cpu.connect.brokerS) / b.devices,
      fleetsim: (1000 * f.phases.enroll.serviceCpuS) / f.enrolled,
      judge: { kind: 'info' },
    },
    {
      figure: 'CPU ms/device connecting, clients/agents',
      bare: (1000 * b.cpu.connect.clientsS) / b.devices,
      fleetsim: (1000 * f.phases.enroll.agentsCpuS) / f.enrolled,
      judge: { kind: 'info' },
    },
    {
      figure: 'CPU ms/round trip, broker+service',
      bare: (1000 * b.cpu.round.brokerS) / b.devices,
      fleetsim: roundCpuMs.service,
      judge: { kind: 'info' },
    },
    {
      figure: 'CPU ms/round trip, clients/agents',
      bare: (1000 * b.cpu.round.clientsS) / b.devices,
      fleetsim: roundCpuMs.agents,
      judge: { kind: 'info' },
    },
    // The same CPU beside the bare loop in fleetsim's round, at QoS 1 and at fleetsim's QoS 0.
    ...(
      [
        ['QoS 1', b.cpu.protocol],
        ['QoS 0', b.cpu.protocolQos0],
      ] as const
    ).flatMap(([qos, cpu]): Row[] => [
      {
        figure: `  bare in fleetsim's round, ${qos}, broker+service`,
        bare: (1000 * cpu.brokerS) / b.devices,
        fleetsim: roundCpuMs.service,
        judge: { kind: 'info' },
      },
      {
        figure: `  bare in fleetsim's round, ${qos}, clients/agents`,
        bare: (1000 * cpu.clientsS) / b.devices,
        fleetsim: roundCpuMs.agents,
        judge: { kind: 'info' },
      },
    ]),
    {
      figure: 'KB/device, broker+service process',
      bare: perDevice(b.brokerKb, b.brokerIdleKb, b.devices),
      fleetsim: perDevice(f.serviceKb, f.serviceIdleKb, f.devices),
      judge: { kind: 'memory', max: TARGETS.serviceKbPerDeviceMax },
    },
    {
      figure: 'KB/device, client/agents processes',
      bare: perDevice(b.clientsKb, b.clientsIdleKb, b.devices),
      fleetsim: perDevice(f.agentsKb, f.agentsIdleKb, f.devices),
      judge: { kind: 'memory', max: TARGETS.agentsKbPerDeviceMax },
    },
  ];
}

function judged(r: Row): { target: string; result: string } {
  const ratio = r.fleetsim / r.bare;
  if (r.judge.kind === 'rate')
    return { target: `≥ ${TARGETS.rateRatioMin} of bare`, result: verdict(ratio >= TARGETS.rateRatioMin) };
  if (r.judge.kind === 'memory')
    return { target: `≤ ${r.judge.max} KB`, result: verdict(r.fleetsim <= r.judge.max) };
  return { target: '', result: '' };
}

function propagationLine(name: string, r: ActionRound): string {
  const all = r.withinFifteenMinutes === r.accepted;
  return `${name}: ${fixed(r.acknowledged)}/${fixed(r.accepted)} acknowledged, ${fixed(r.withinFifteenMinutes)} within 15 sim-minutes (p50 ${fixed(r.p50S)} s, p99 ${fixed(r.p99S)} s, max ${fixed(r.maxS)} s sim) — ${verdict(all)}`;
}

/** The side-by-side table: bare, fleetsim, their ratio, the target and whether it holds. */
export function renderTable(b: BareFigures, f: FleetsimFigures): string {
  const header = ['figure', 'bare', 'fleetsim', 'ratio', 'target', 'result'];
  const body = rows(b, f).map((r) => {
    const { target, result } = judged(r);
    const digits = (n: number) => (Math.abs(n) < 10 ? 2 : 1);
    return [
      r.figure,
      fixed(r.bare, digits(r.bare)),
      fixed(r.fleetsim, digits(r.fleetsim)),
      fixed(r.fleetsim / r.bare, 2),
      target,
      result,
    ];
  });
  const widths = header.map((_, i) => Math.max(...[header, ...body].map((row) => row[i]!.length)));
  const line = (row: string[]) => `| ${row.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...body.map(line),
    '',
    "CPU ms: fleetsim's agents include their process start and fleet generation; the bare clients' start is left out.",
    "fleetsim's devices and service publish at QoS 0 (its own acknowledgements keep every message until committed); the bare exchange is QoS 1, as the issue set it.",
    '',
    `enrolled: ${fixed(f.enrolled)}/${fixed(f.devices)} — ${verdict(f.enrolled === f.devices)}`,
    propagationLine('sync to all', f.sync),
    propagationLine('wipe of 10%', f.wipe),
    `service memory after the sync: RSS ${fixed(f.serviceKb / 1024)} MB, of it JS heap in use ${fixed(f.serviceHeapUsedKb / 1024)} MB, external ${fixed(f.serviceExternalKb / 1024)} MB`,
    '',
    'where the time went (fleetsim; CPU seconds per wall second, service event-loop delay max):',
    ...(['enroll', 'sync', 'wipe'] as const).map((name) => {
      const p = f.phases[name];
      return `  ${name.padEnd(6)} ${fixed(p.wallS, 1)} s wall: service ${fixed(p.serviceCpuS / p.wallS, 2)} CPU, agents ${fixed(p.agentsCpuS / p.wallS, 2)} CPU, delay max ${fixed(p.serviceLoopDelayMaxS * 1000)} ms`;
    }),
  ].join('\n');
}
