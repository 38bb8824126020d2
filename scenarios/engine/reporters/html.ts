import type { ExpectationResult, ScenarioResult } from '../results.ts';

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
/** Text between tags needs no quote escaping (quotes are most of a JSON-heavy event's bytes). */
const escText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** Longest event text a timeline shows; the JSON report has every event whole. */
const EVENT_CHARS_MAX = 140;
const GUID = /\b([0-9a-f]{8})-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g;

/** An event as a timeline line: ids shortened to their first 8 characters, long details cut. */
function eventText(event: string): string {
  const short = event.replace(GUID, '$1…');
  return short.length > EVENT_CHARS_MAX ? `${short.slice(0, EVENT_CHARS_MAX - 1)}…` : short;
}

/** Devices per cohort whose timeline the report shows; the rest are in the JSON report. */
export const TIMELINES_PER_COHORT_MAX = 5;
/** Failing devices an expectation lists by name. */
const FAILING_SHOWN_MAX = 20;

export interface HtmlReportOptions {
  /** Where the JSON report (with every device's timeline) is, relative to the HTML file. */
  jsonHref?: string;
}

/** Propagation times bucketed by minute (the last bucket holds everything from 15 minutes on), as SVG bars. */
function histogram(times: readonly number[]): string {
  const buckets = Array.from({ length: 16 }, () => 0);
  for (const t of times) buckets[Math.min(15, Math.floor(t / 60_000))]!++;
  const max = Math.max(1, ...buckets);
  const left = 44; // room for the y-axis numbers and label, so nothing is clipped
  // Empty buckets draw no bar; the x-axis is labelled every 5 minutes (the SVG is most of a small report).
  const bars = buckets
    .map((n, i) => {
      const h = Math.round((n / max) * 80);
      const x = left + i * 22;
      const late = i === 15 ? ' class="late"' : '';
      const bar =
        n === 0
          ? ''
          : `<rect${late} x="${x}" y="${96 - h}" width="18" height="${h}"><title>${i === 15 ? '≥ 15' : `${i}–${i + 1}`} min: ${n}</title></rect>`;
      return `${bar}${i % 5 === 0 ? `<text x="${x + 9}" y="110">${i === 15 ? '15+' : i}</text>` : ''}`;
    })
    .join('');
  const axis = `<text class="y" x="${left - 4}" y="20">${max}</text><text class="y" x="${left - 4}" y="96">0</text><text class="label" transform="translate(10 58) rotate(-90)">devices</text><text class="label" x="${left + 176}" y="124">minutes to acknowledge</text>`;
  return `<svg viewBox="0 0 ${left + 16 * 22 + 4} 128" class="hist" role="img" aria-label="propagation histogram">${axis}${bars}</svg>`;
}

/** The expectation's text once: its description, with "expected" only when it says something more. */
function expectationRow(e: ExpectationResult): string {
  const extra = e.description.includes(e.expected) ? '' : `<br><small>expected ${esc(e.expected)}</small>`;
  const devices = e.failingDevices.length
    ? `<br><small>devices: ${esc(e.failingDevices.slice(0, FAILING_SHOWN_MAX).join(', '))}${e.failingDevices.length > FAILING_SHOWN_MAX ? ` (+${e.failingDevices.length - FAILING_SHOWN_MAX} more)` : ''}</small>`
    : '';
  const found = e.passed ? '' : `${esc(e.found)}${devices}`;
  return `<tr class="${e.passed ? 'pass' : 'fail'}"><td>${e.passed ? '✓' : '✗'}</td><td>${esc(e.specIds.join(' '))}</td><td>${esc(e.description)}${extra}</td><td>${found}</td></tr>`;
}

/** Timelines of a sample of each cohort's devices: the failing ones first, then the first few. */
function timelines(r: ScenarioResult, options: HtmlReportOptions): string {
  const failing = new Set(r.expectations.flatMap((e) => e.failingDevices));
  return r.cohorts
    .map((c) => {
      const sample = [
        ...c.serialNumbers.filter((s) => failing.has(s)),
        ...c.serialNumbers.filter((s) => !failing.has(s)),
      ].slice(0, TIMELINES_PER_COHORT_MAX);
      const rest = c.serialNumbers.length - sample.length;
      const more =
        rest > 0
          ? `<p class="meta">${rest} more device${rest === 1 ? '' : 's'}: ${options.jsonHref ? `<a href="${esc(options.jsonHref)}">in the JSON report</a>` : 'in the JSON report (--reporter json=FILE)'}</p>`
          : '';
      const devices = sample
        .map(
          (s) =>
            `<details class="device"><summary>${esc(s)}${failing.has(s) ? ' ✗' : ''}</summary><ol>${(
              r.timeline[s] ?? []
            )
              .map(
                (t) =>
                  `<li><time>${t.at.slice(0, 19).replace('T', ' ')}</time> ${escText(eventText(t.event))}</li>`,
              )
              .join('')}</ol></details>`,
        )
        .join('');
      return `<details><summary>${esc(c.name)} — ${esc(c.platform)}, ${c.serialNumbers.length} device${c.serialNumbers.length === 1 ? '' : 's'}</summary>${devices}${more}</details>`;
    })
    .join('');
}

/** A long run's log kept only its latest events: say that the timelines start late. */
function droppedNote(r: ScenarioResult): string {
  if (r.eventsDropped === 0) return '';
  const n = r.eventsDropped.toLocaleString('en-US');
  return `<p class="meta">The event log kept only its latest events: the first ${n} were dropped, so these timelines start later than the run (the verdicts above do not read the log).</p>`;
}

function section(r: ScenarioResult, i: number, options: HtmlReportOptions): string {
  const rows = [
    ...r.stepErrors.map((e) => `<tr class="fail"><td>✗</td><td>step</td><td colspan="2">${esc(e)}</td></tr>`),
    ...r.expectations.map(expectationRow),
  ].join('');
  const hists = Object.entries(r.propagationMs)
    .filter(([, t]) => t.length > 0)
    .map(
      ([id, t]) => `<figure><figcaption>${esc(id)}: ${t.length} devices</figcaption>${histogram(t)}</figure>`,
    )
    .join('');
  const failed = r.expectations.filter((e) => !e.passed).length + r.stepErrors.length;
  // Passing scenarios are collapsed; failing ones open, each with an anchor.
  return `<details id="s${i}" class="${r.passed ? 'pass' : 'fail'}"${r.passed ? '' : ' open'}><summary><h2>${r.passed ? '✓' : '✗'} ${esc(r.name)}</h2> <span class="meta">${r.expectations.length} expectations${failed ? `, ${failed} failed` : ''}</span></summary>
<p class="meta">${esc(r.file)} · seed <code>${esc(r.seed)}</code> · rules ${esc(r.specIds.join(', '))} · replay <code>${esc(r.replay)}</code></p>
<table><thead><tr><th></th><th>rules</th><th>expectation</th><th>found</th></tr></thead><tbody>${rows}</tbody></table>
<div class="hists">${hists}</div><h3>Timeline by cohort</h3>${droppedNote(r)}${timelines(r, options)}</details>`;
}

/** A self-contained HTML report: verdicts, propagation histograms, and a sample of device timelines. */
export function htmlReport(results: readonly ScenarioResult[], options: HtmlReportOptions = {}): string {
  const passed = results.filter((r) => r.passed).length;
  const failures = results.map((r, i) => ({ r, i })).filter(({ r }) => !r.passed);
  const jump = failures.length
    ? `<p class="jump"><a href="#s${failures[0]!.i}">Jump to the first failure</a> · failed: ${failures
        .map(({ r, i }) => `<a href="#s${i}">${esc(r.name)}</a>`)
        .join(', ')}</p>`
    : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>fleetsim scenario report</title><style>
body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#1b1f24}h1{margin:0 0 .5rem}h2{display:inline;font-size:1.1rem}
details.pass,details.fail{border-left:4px solid #2da44e;padding:.2rem 1rem;margin:1rem 0}details.fail{border-color:#cf222e}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top}td:nth-child(2){white-space:nowrap}
tr.fail td{background:#ffebe9}small{color:#57606a}.meta{color:#57606a}.jump{background:#ffebe9;padding:.4rem .6rem}.hists{display:flex;flex-wrap:wrap;gap:1rem}figure{margin:.5rem 0}
.hist{width:400px;height:128px}.hist rect{fill:#0969da}.hist rect.late{fill:#cf222e}.hist text{font-size:9px;text-anchor:middle;fill:#57606a}.hist text.y{text-anchor:end}
details details{margin:.2rem 0 .2rem 1rem}ol{font-family:ui-monospace,monospace;font-size:12px}time{color:#57606a}code{background:#f6f8fa;padding:0 .2rem}
</style></head><body><h1>fleetsim scenario report</h1><p>${passed} of ${results.length} scenarios passed · rules covered: ${esc([...new Set(results.flatMap((r) => r.specIds))].sort().join(', '))}</p>
${jump}${results.map((r, i) => section(r, i, options)).join('\n')}</body></html>\n`;
}
