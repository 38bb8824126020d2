import type { ScenarioResult } from '../results.ts';

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Propagation times bucketed by minute (the last bucket holds everything from 15 minutes on), as SVG bars. */
function histogram(times: readonly number[]): string {
  const buckets = Array.from({ length: 16 }, () => 0);
  for (const t of times) buckets[Math.min(15, Math.floor(t / 60_000))]!++;
  const max = Math.max(1, ...buckets);
  const bars = buckets
    .map((n, i) => {
      const h = Math.round((n / max) * 80);
      const x = 30 + i * 22;
      const late = i === 15 ? ' class="late"' : '';
      return `<rect${late} x="${x}" y="${90 - h}" width="18" height="${h}"><title>${i === 15 ? '≥ 15' : `${i}–${i + 1}`} min: ${n}</title></rect><text x="${x + 9}" y="104">${i === 15 ? '15+' : i}</text>`;
    })
    .join('');
  return `<svg viewBox="0 0 390 110" class="hist" role="img" aria-label="propagation histogram">${bars}<text x="0" y="12">${max}</text></svg>`;
}

/** A self-contained HTML report: verdicts, propagation histograms, and a timeline per cohort and device. */
export function htmlReport(results: readonly ScenarioResult[]): string {
  const passed = results.filter((r) => r.passed).length;
  const sections = results.map((r) => {
    const rows = [
      ...r.stepErrors.map(
        (e) => `<tr class="fail"><td>✗</td><td>step</td><td colspan="2">${esc(e)}</td></tr>`,
      ),
      ...r.expectations.map(
        (e) =>
          `<tr class="${e.passed ? 'pass' : 'fail'}"><td>${e.passed ? '✓' : '✗'}</td><td>${esc(e.specIds.join(' '))}</td><td>${esc(e.description)}<br><small>expected ${esc(e.expected)}</small></td><td>${esc(e.found)}${e.failingDevices.length ? `<br><small>devices: ${esc(e.failingDevices.join(', '))}</small>` : ''}</td></tr>`,
      ),
    ].join('');
    const hists = Object.entries(r.propagationMs)
      .filter(([, t]) => t.length > 0)
      .map(
        ([id, t]) =>
          `<figure><figcaption>${esc(id)}: ${t.length} devices, request → acknowledged (minutes)</figcaption>${histogram(t)}</figure>`,
      )
      .join('');
    const cohorts = r.cohorts
      .map(
        (c) =>
          `<details><summary>${esc(c.name)} — ${esc(c.platform)}, ${c.serialNumbers.length} device${c.serialNumbers.length === 1 ? '' : 's'}</summary>${c.serialNumbers
            .map(
              (s) =>
                `<details class="device"><summary>${esc(s)}</summary><ol>${(r.timeline[s] ?? [])
                  .map(
                    (t) =>
                      `<li><time>${esc(t.at.slice(0, 19).replace('T', ' '))}</time> ${esc(t.event)}</li>`,
                  )
                  .join('')}</ol></details>`,
            )
            .join('')}</details>`,
      )
      .join('');
    return `<section class="${r.passed ? 'pass' : 'fail'}"><h2>${r.passed ? '✓' : '✗'} ${esc(r.name)}</h2>
<p class="meta">${esc(r.file)} · seed <code>${esc(r.seed)}</code> · rules ${esc(r.specIds.join(', '))} · replay <code>${esc(r.replay)}</code></p>
<table><thead><tr><th></th><th>rules</th><th>expectation</th><th>found</th></tr></thead><tbody>${rows}</tbody></table>
<div class="hists">${hists}</div><h3>Timeline by cohort</h3>${cohorts}</section>`;
  });
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>fleetsim scenario report</title><style>
body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#1b1f24}h1{margin:0 0 .5rem}section{border-left:4px solid #2da44e;padding:.2rem 1rem;margin:1.5rem 0}
section.fail{border-color:#cf222e}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top}td:nth-child(2){white-space:nowrap}
tr.fail td{background:#ffebe9}small{color:#57606a}.meta{color:#57606a}.hists{display:flex;flex-wrap:wrap;gap:1rem}figure{margin:.5rem 0}
.hist{width:390px;height:110px}.hist rect{fill:#0969da}.hist rect.late{fill:#cf222e}.hist text{font-size:9px;text-anchor:middle;fill:#57606a}
details{margin:.2rem 0 .2rem 1rem}ol{font-family:ui-monospace,monospace;font-size:12px}time{color:#57606a}code{background:#f6f8fa;padding:0 .2rem}
</style></head><body><h1>fleetsim scenario report</h1><p>${passed} of ${results.length} scenarios passed · rules covered: ${esc([...new Set(results.flatMap((r) => r.specIds))].sort().join(', '))}</p>
${sections.join('\n')}</body></html>\n`;
}
