import type { LoadReport } from './report-schema.ts';
import { formatMs } from './slo.ts';

/**
 * The load report as one self-contained HTML page: hand-written SVG, no script, no external
 * file (as scenarios/engine/reporters/html.ts does it).
 */
const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const W = 640;
const H = 160;
const LEFT = 48;

/** Lines over the run's wall time; each series scaled to the largest value of all. */
function lineChart(
  title: string,
  xs: readonly number[],
  series: readonly { name: string; values: readonly number[]; cls: string }[],
): string {
  const xMax = Math.max(1, ...xs);
  const yMax = Math.max(1, ...series.flatMap((s) => s.values));
  const x = (v: number) => LEFT + (v / xMax) * (W - LEFT - 8);
  const y = (v: number) => H - 20 - (v / yMax) * (H - 36);
  const paths = series
    .map(
      (s) =>
        `<polyline class="${s.cls}" points="${s.values.map((v, i) => `${x(xs[i]!).toFixed(1)},${y(v).toFixed(1)}`).join(' ')}"><title>${esc(s.name)}</title></polyline>`,
    )
    .join('');
  const legend = series
    .map((s, i) => `<text class="${s.cls} legend" x="${LEFT + 8 + i * 150}" y="12">${esc(s.name)}</text>`)
    .join('');
  const axis = `<line class="axis" x1="${LEFT}" y1="${H - 20}" x2="${W - 8}" y2="${H - 20}"/><text class="y" x="${LEFT - 4}" y="${y(yMax) + 4}">${Math.round(yMax)}</text><text class="y" x="${LEFT - 4}" y="${H - 20}">0</text><text x="${W - 8}" y="${H - 4}" class="y">${formatMs(xMax)} wall</text>`;
  return `<figure><figcaption>${esc(title)}</figcaption><svg viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(title)}">${axis}${paths}${legend}</svg></figure>`;
}

/** Devices acknowledging per sim minute, the 15-minute promise as a red line. */
function histogram(action: string, byMinute: readonly number[]): string {
  const max = Math.max(1, ...byMinute);
  const bars = byMinute
    .map((n, i) => {
      const h = Math.round((n / max) * 100);
      const x = LEFT + i * 34;
      return `${n > 0 ? `<rect class="${i === 15 ? 'late' : 'bar'}" x="${x}" y="${120 - h}" width="28" height="${h}"><title>${i === 15 ? '≥ 15' : `${i}–${i + 1}`} min: ${n}</title></rect>` : ''}<text x="${x + 14}" y="134">${i === 15 ? '15+' : i}</text>`;
    })
    .join('');
  const promise = LEFT + 15 * 34 - 3;
  return `<figure><figcaption>${esc(action)}: devices acknowledging per sim minute after the intended time</figcaption><svg viewBox="0 0 ${LEFT + 16 * 34 + 8} 150" role="img" aria-label="${esc(action)} propagation histogram"><text class="y" x="${LEFT - 4}" y="24">${max}</text><text class="y" x="${LEFT - 4}" y="120">0</text>${bars}<line class="promise" x1="${promise}" y1="10" x2="${promise}" y2="124"/><text class="promise" x="${promise - 4}" y="10" text-anchor="end">15 min</text></svg></figure>`;
}

function table(head: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  return `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${esc(String(c))}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

export function htmlReport(r: LoadReport): string {
  const f = r.figures;
  const xs = r.timeline.map((t) => t.wallMs);
  const perSecond = (k: 'checkIns' | 'delivered' | 'acknowledged') =>
    r.timeline.map((t, i) => {
      const prev = r.timeline[i - 1];
      const dt = prev ? (t.wallMs - prev.wallMs) / 1000 : 1;
      return prev && dt > 0 ? (t[k] - prev[k]) / dt : 0;
    });
  const verdicts = r.slos.length
    ? table(
        ['', 'objective', 'found'],
        r.slos.map((s) => [s.holds ? '✓' : '✗', s.slo, s.found]),
      )
    : '<p>No objectives were given (--slo, --slo-file).</p>';
  const regressions = r.baseline
    ? r.baseline.regressions.length
      ? table(
          ['figure', 'before', 'after', 'change'],
          r.baseline.regressions.map((g) => [g.figure, g.before, g.after, `${g.changePercent}%`]),
        )
      : `<p>No regression beyond ${r.baseline.thresholdPercent}% against ${esc(r.baseline.file)}.</p>`
    : '';
  const p = (k: string) => r.propagation[k];
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>fleetsim load: ${r.verdict}</title><style>
body{font:14px system-ui,sans-serif;margin:2em;max-width:60em;color:#222}h1{font-size:1.4em}.pass{color:#17702f}.fail{color:#b00020}
table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:.25em .6em;text-align:left}
figure{margin:1em 0}figcaption{font-weight:600}svg{width:100%;max-width:${W}px;font-size:10px}
polyline{fill:none;stroke-width:1.5}.a{stroke:#1f6fb2;fill:#1f6fb2}.b{stroke:#d9822b;fill:#d9822b}.c{stroke:#17702f;fill:#17702f}
.legend{stroke:none}.axis{stroke:#888}.y{text-anchor:end;fill:#555}.bar{fill:#1f6fb2}.late{fill:#b00020}.promise{stroke:#b00020;fill:#b00020}
svg text{text-anchor:middle}svg text.y,svg text.legend{text-anchor:start}svg text.y{text-anchor:end}
</style></head><body>
<h1>fleetsim load: <span class="${r.verdict}">${r.verdict}</span></h1>
<p><code>${esc(r.command.join(' '))}</code><br>seed ${esc(r.seed)} · started ${esc(r.startedAt)} · ${r.plan.devices} devices in ${r.plan.processes} agent processes · ×${r.plan.speed} · ${formatMs(r.wallMs)} wall, ${formatMs(r.simMs)} sim · fleetsim ${esc(r.versions.fleetsim)}, Node ${esc(r.versions.node)}, aedes ${esc(r.versions.aedes)}, mqtt ${esc(r.versions.mqtt)} · ${r.machine.cpus}× ${esc(r.machine.cpuModel)}</p>
<h2>Objectives</h2>${verdicts}${regressions ? `<h2>Against the baseline</h2>${regressions}` : ''}
<h2>Figures</h2>${table(
    [
      'enrolled',
      'connected',
      'connects/s',
      'check-ins/s',
      'delivered',
      'targeted',
      'acknowledged',
      'pending',
      'refused',
      'failed',
      'errors',
      'broker msgs/s',
      'check-in lateness p99',
    ],
    [
      [
        `${f.enrolled}/${f.devices}`,
        f.connected,
        Math.round(f.connectRate),
        Math.round(f.checkInRate * 10) / 10,
        f.delivered,
        f.targeted,
        f.acknowledged,
        f.pending,
        f.refused,
        f.failed,
        f.errors,
        f.brokerMessageRate === null ? '—' : Math.round(f.brokerMessageRate),
        formatMs(r.checkInLateness.p99),
      ],
    ],
  )}
${lineChart('Connect ramp: devices enrolled and connected', xs, [
  { name: 'enrolled', values: r.timeline.map((t) => t.enrolled), cls: 'a' },
  { name: 'connected', values: r.timeline.map((t) => t.connected), cls: 'b' },
])}
${lineChart('Throughput per wall second', xs, [
  { name: 'check-ins/s', values: perSecond('checkIns'), cls: 'a' },
  { name: 'commands delivered/s', values: perSecond('delivered'), cls: 'b' },
  { name: 'acknowledged/s', values: perSecond('acknowledged'), cls: 'c' },
])}
${
  r.timeline.some((t) => t.brokerMessagesPerSecond !== null)
    ? lineChart('Broker messages per wall second (every PUBLISH it routed)', xs, [
        { name: 'messages/s', values: r.timeline.map((t) => t.brokerMessagesPerSecond ?? 0), cls: 'a' },
      ])
    : ''
}
<h2>Propagation (sim time, from each action's intended time to the device's acknowledgement)</h2>
${table(
  ['action', 'acknowledged', 'p50', 'p95', 'p99', 'max'],
  Object.keys(r.propagation).map((k) => [
    k,
    p(k)!.count,
    formatMs(p(k)!.p50),
    formatMs(p(k)!.p95),
    formatMs(p(k)!.p99),
    formatMs(p(k)!.max),
  ]),
)}
${Object.entries(r.propagationByMinute)
  .filter(([k]) => k !== 'all')
  .map(([k, b]) => histogram(k, b))
  .join('')}
<h2>Check-in lateness (sim time, from when each check-in was due to the service handling it)</h2>
${table(
  ['check-ins', 'p50', 'p95', 'p99', 'max'],
  [
    [
      r.checkInLateness.count,
      ...(['p50', 'p95', 'p99', 'max'] as const).map((k) => formatMs(r.checkInLateness[k])),
    ],
  ],
)}
<h2>By platform</h2>${table(
    ['platform', 'enrolled', 'targeted', 'acknowledged', 'done', 'failed', 'refused'],
    r.platforms.map((x) => [x.platform, x.enrolled, x.targeted, x.acknowledged, x.done, x.failed, x.refused]),
  )}
<h2>Processes</h2>${table(
    ['process', 'devices', 'peak RSS', 'per device', 'CPU mean', 'CPU max', 'event-loop delay p99 (max)'],
    r.processes.map((x) => [
      x.name,
      x.devices,
      `${Math.round(x.rssPeakBytes / 1e6)} MB`,
      x.bytesPerDevice === null ? '—' : `${Math.round(x.bytesPerDevice / 1000)} KB`,
      `${Math.round(x.cpuMean * 100)}%`,
      `${Math.round(x.cpuMax * 100)}%`,
      `${Math.round(x.eventLoopDelayP99MaxMs)} ms`,
    ]),
  )}
<h2>Errors</h2>${Object.keys(r.errors).length ? table(['reason', 'count'], Object.entries(r.errors)) : '<p>None.</p>'}
${r.warnings.length ? `<h2>Warnings</h2><ul>${r.warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul>` : ''}
</body></html>
`;
}
