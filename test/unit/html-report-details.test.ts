import { describe, expect, it } from 'vitest';
import { htmlReport } from '../../scenarios/engine/reporters/html.ts';
import type { ExpectationResult, ScenarioResult } from '../../scenarios/engine/results.ts';

/** The HTML report's details, each asserted on the piece of markup that shows it. */
const exp = (over: Partial<ExpectationResult> = {}): ExpectationResult => ({
  index: 0,
  kind: 'completed',
  id: 'w',
  specIds: ['W-1', 'W-2'],
  description: 'wipe completed',
  passed: true,
  expected: 'done within 1h',
  found: 'all 1 as expected',
  failingDevices: [],
  at: '2026-01-05T01:00:00.000Z',
  ...over,
});
const res = (over: Partial<ScenarioResult> = {}): ScenarioResult => ({
  file: 'a&b.yaml',
  name: 'n<1>',
  tags: [],
  specIds: ['W-2', 'W-1'],
  seed: 's"1',
  passed: true,
  stepErrors: [],
  expectations: [exp()],
  propagationMs: {},
  cohorts: [],
  timeline: {},
  eventsDropped: 0,
  replay: 'npx fleetsim run a&b.yaml --seed s"1',
  wallMs: 1,
  ...over,
});
const serials = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `SN${from + i}`);

describe('the HTML report, in detail', () => {
  it('the summary line: how many passed, every rule once and sorted, escaped', () => {
    const html = htmlReport([res(), res({ passed: false, specIds: ['R-1'] })]);
    expect(html).toContain('<p>1 of 2 scenarios passed · rules covered: R-1, W-1, W-2</p>');
    expect(html).not.toContain('Jump to the first failure</a> · failed: <a href="#s0">');
    expect(htmlReport([res()])).not.toContain('class="jump"');
  });

  it('a section: rules, file, seed and replay escaped; the count of failures with step errors', () => {
    const html = htmlReport([
      res({ passed: false, stepErrors: ['e<1>'], expectations: [exp(), exp({ index: 1, passed: false })] }),
    ]);
    expect(html).toContain('<span class="meta">2 expectations, 2 failed</span>');
    expect(html).toContain(
      '<p class="meta">a&amp;b.yaml · seed <code>s&quot;1</code> · rules W-2, W-1 · replay <code>npx fleetsim run a&amp;b.yaml --seed s&quot;1</code></p>',
    );
    expect(html).toContain('<tr class="fail"><td>✗</td><td>step</td><td colspan="2">e&lt;1&gt;</td></tr>');
    expect(htmlReport([res()])).toContain('<span class="meta">1 expectations</span>');
  });

  it('an expectation row: rules, the description, "expected" only when it adds something, what was found and up to 20 devices', () => {
    const pass = htmlReport([res()]);
    expect(pass).toContain(
      '<tr class="pass"><td>✓</td><td>W-1 W-2</td><td>wipe completed<br><small>expected done within 1h</small></td><td></td></tr>',
    );
    const fail = htmlReport([
      res({
        passed: false,
        expectations: [
          exp({
            passed: false,
            description: 'wipe done within 1h',
            found: 'x<y',
            failingDevices: serials(22),
          }),
        ],
      }),
    ]);
    expect(fail).toContain(
      `<tr class="fail"><td>✗</td><td>W-1 W-2</td><td>wipe done within 1h</td><td>x&lt;y<br><small>devices: ${serials(20).join(', ')} (+2 more)</small></td></tr>`,
    );
    const twenty = htmlReport([
      res({ passed: false, expectations: [exp({ passed: false, failingDevices: serials(20) })] }),
    ]);
    expect(twenty).toContain(`<small>devices: ${serials(20).join(', ')}</small>`);
    const none = htmlReport([res({ passed: false, expectations: [exp({ passed: false })] })]);
    expect(none).toContain('<td>all 1 as expected</td>');
  });

  it('histograms: one per step with times, bucketed by minute, 15 minutes and more in the last (red) bucket', () => {
    const times = [0, 59_999, 60_000, 14 * 60_000 + 59_999, 15 * 60_000, 99 * 60_000];
    const html = htmlReport([res({ propagationMs: { w: times, empty: [] } })]);
    expect(html.match(/<figure>/g)).toHaveLength(1);
    expect(html).toContain('<figcaption>w: 6 devices</figcaption>');
    expect(html).toContain('<title>0–1 min: 2</title>');
    expect(html).toContain('<title>1–2 min: 1</title>');
    expect(html).toContain('<title>14–15 min: 1</title>');
    expect(html).toContain(
      '<rect class="late" x="374" y="16" width="18" height="80"><title>≥ 15 min: 2</title></rect>',
    );
    expect(html).toContain('<rect x="44" y="16" width="18" height="80">');
    expect(html).toContain('<rect x="66" y="56" width="18" height="40">');
    expect(html).toContain('<text class="y" x="40" y="20">2</text>');
    // The x-axis every 5 minutes; empty buckets draw no bar.
    expect(html.match(/<text x="\d+" y="110">/g)).toEqual([
      '<text x="53" y="110">',
      '<text x="163" y="110">',
      '<text x="273" y="110">',
      '<text x="383" y="110">',
    ]);
    expect(html).toContain('<text x="383" y="110">15+</text>');
    expect(html.match(/<rect/g)).toHaveLength(4);
    expect(html).toContain('<svg viewBox="0 0 400 128" class="hist"');
  });

  it('timelines: failing devices first, five per cohort, the rest counted (singular too); event ids shortened and long events cut', () => {
    const guid = '0123abcd-1111-2222-3333-444455556666';
    const long = `action.completed ${'x'.repeat(200)}`;
    const html = htmlReport([
      res({
        passed: false,
        expectations: [exp({ passed: false, failingDevices: ['SN5'] })],
        cohorts: [
          { name: 'a', platform: 'ios', serialNumbers: serials(6) },
          { name: 'b', platform: 'macos', serialNumbers: serials(1, 10) },
        ],
        timeline: {
          SN5: [
            { at: '2026-01-05T01:02:03.456Z', event: `action.delivered actionId=${guid} <x> "q"` },
            { at: '2026-01-05T01:02:04.000Z', event: long },
          ],
        },
      }),
    ]);
    expect(html).toContain(
      '<summary>a — ios, 6 devices</summary><details class="device"><summary>SN5 ✗</summary>',
    );
    expect(html).toContain('<summary>b — macos, 1 device</summary>');
    expect(html).toContain('<p class="meta">1 more device: in the JSON report (--reporter json=FILE)</p>');
    expect(html).toContain(
      '<li><time>2026-01-05 01:02:03</time> action.delivered actionId=0123abcd… &lt;x> "q"</li>',
    );
    expect(html).toContain(`<li><time>2026-01-05 01:02:04</time> ${long.slice(0, 139)}…</li>`);
    expect(html.match(/<details class="device">/g)).toHaveLength(6);
    expect(html).toContain('<summary>SN0</summary><ol></ol>');
    expect(html).not.toContain('<summary>SN4</summary>');
  });

  it('a long run whose log dropped its oldest events says its timelines start late; a run that dropped none says nothing', () => {
    const note =
      'The event log kept only its latest events: the first 1,250,000 were dropped, so these timelines start later than the run (the verdicts above do not read the log).';
    expect(htmlReport([res({ eventsDropped: 1_250_000 })])).toContain(`<p class="meta">${note}</p>`);
    expect(htmlReport([res()])).not.toContain('The event log kept only');
  });

  it('one time: the whole histogram, axis and labels exactly', () => {
    expect(htmlReport([res({ propagationMs: { w: [0] } })])).toContain(
      '<svg viewBox="0 0 400 128" class="hist" role="img" aria-label="propagation histogram"><text class="y" x="40" y="20">1</text><text class="y" x="40" y="96">0</text><text class="label" transform="translate(10 58) rotate(-90)">devices</text><text class="label" x="220" y="124">minutes to acknowledge</text><rect x="44" y="16" width="18" height="80"><title>0–1 min: 1</title></rect><text x="53" y="110">0</text><text x="163" y="110">5</text><text x="273" y="110">10</text><text x="383" y="110">15+</text></svg>',
    );
  });

  it('pieces follow each other with nothing between: rows, figures, bars, events, devices, cohorts, scenarios', () => {
    const at = '2026-01-05T01:02:03.000Z';
    const exactly140 = `e ${'y'.repeat(138)}`;
    const failing = res({
      passed: false,
      stepErrors: ['e1'],
      expectations: [exp(), exp({ index: 1, passed: false, failingDevices: ['SN1'] })],
      propagationMs: { a: [0, 60_000], b: [60_000] },
      cohorts: [
        { name: 'c1', platform: 'ios', serialNumbers: serials(3) },
        { name: 'c2', platform: 'macos', serialNumbers: serials(5, 10) },
      ],
      timeline: {
        SN1: [
          { at, event: 'a & b' },
          { at, event: exactly140 },
        ],
      },
    });
    const html = htmlReport([failing, res({ name: 'second', passed: false }), res({ name: 'ok' })]);
    expect(html).toContain('<td colspan="2">e1</td></tr><tr class="pass">');
    expect(html).toContain('</figure><figure><figcaption>b: 1 devices</figcaption>');
    expect(html).toContain('<text x="53" y="110">0</text><rect x="66"');
    // Text is escaped for &; an event of exactly 140 characters is shown whole.
    expect(html).toContain(
      `<ol><li><time>2026-01-05 01:02:03</time> a &amp; b</li><li><time>2026-01-05 01:02:03</time> ${exactly140}</li></ol>`,
    );
    // The failing device first, each device once; five devices and no more: nothing counted.
    expect(html).toContain('<summary>SN1 ✗</summary><ol><li>');
    expect(html.match(/<summary>SN\d+( ✗)?<\/summary>/g)).toEqual([
      '<summary>SN1 ✗</summary>',
      '<summary>SN0</summary>',
      '<summary>SN2</summary>',
      ...serials(5, 10).map((s) => `<summary>${s}</summary>`),
    ]);
    expect(html).toContain('<summary>SN0</summary><ol></ol></details><details class="device">');
    expect(html).toContain('</ol></details></details><details><summary>c2 — macos, 5 devices</summary>');
    expect(html).toContain(
      '<summary>SN14</summary><ol></ol></details></details></details>\n<details id="s1"',
    );
    expect(html).not.toContain('more device');
    expect(html).toContain(
      'failed: <a href="#s0">n&lt;1&gt;</a>, <a href="#s1">second</a></p><details id="s0" class="fail" open>',
    );
    expect(html).toContain('<details id="s2" class="pass"><summary><h2>✓ ok</h2>');
    // No failure: no jump line between the summary and the first scenario.
    expect(htmlReport([res()])).toContain('rules covered: W-1, W-2</p>\n<details id="s0" class="pass">');
  });
});
