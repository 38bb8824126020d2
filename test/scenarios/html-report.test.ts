import { describe, expect, it } from 'vitest';
import { htmlReport, TIMELINES_PER_COHORT_MAX } from '../../scenarios/engine/reporters/html.ts';
import type { ExpectationResult, ScenarioResult } from '../../scenarios/engine/results.ts';

/** Reports built from results directly: what a QA engineer sees, and how big it gets. */
function expectation(passed: boolean, failingDevices: string[] = []): ExpectationResult {
  return {
    index: 0,
    kind: 'completed',
    id: null,
    specIds: ['R-4'],
    description: 'retire completed done within 1h (all)',
    passed,
    expected: 'done within 1h',
    found: passed ? 'all 2 as expected' : '0 of 2 as expected; A: failed',
    failingDevices,
    at: '2026-01-05T01:00:00.000Z',
  };
}

function result(name: string, passed: boolean, devices = 2, eventsPerDevice = 3): ScenarioResult {
  const serials = Array.from({ length: devices }, (_, i) => `SN${String(i).padStart(6, '0')}`);
  return {
    file: `${name}.yaml`,
    name,
    tags: [],
    specIds: ['R-4'],
    seed: name,
    passed,
    stepErrors: [],
    expectations: [expectation(passed, passed ? [] : serials.slice(0, 2))],
    propagationMs: { retire: serials.map((_, i) => (i % 20) * 60_000) },
    cohorts: [{ name: 'phones', platform: 'androidKnox', serialNumbers: serials }],
    timeline: Object.fromEntries(
      serials.map((s) => [
        s,
        Array.from({ length: eventsPerDevice }, (_, k) => ({
          at: `2026-01-05T0${k % 10}:00:00.000Z`,
          event: `action.state state=active n=${k}`,
        })),
      ]),
    ),
    eventsDropped: 0,
    replay: `npx fleetsim run ${name}.yaml --seed ${name}`,
    wallMs: 1,
  };
}

describe('the HTML report', () => {
  it('collapses passing scenarios, opens failing ones and links to the first failure', () => {
    const html = htmlReport([result('fine', true), result('broken', false), result('also-broken', false)]);
    expect(html).toMatch(/<details id="s0" class="pass"><summary>/);
    expect(html).toMatch(/<details id="s1" class="fail" open><summary>/);
    expect(html).toContain('<a href="#s1">Jump to the first failure</a>');
    expect(html).toContain('<a href="#s2">also-broken</a>');
  });

  it('says each expectation once: no "expected" line repeating the description', () => {
    const html = htmlReport([result('fine', true)]);
    expect(html.match(/done within 1h/g)).toHaveLength(1);
  });

  it('gives the histogram room for its y-axis and labels both axes', () => {
    const html = htmlReport([result('fine', true)]);
    expect(html).toMatch(/<text class="y" x="40" y="20">/);
    expect(html).toContain('>devices</text>');
    expect(html).toContain('minutes to acknowledge');
  });

  it('a 10,000-device run: timelines for a sample of devices (failing ones first), the rest linked in JSON', () => {
    const big = result('fleet', false, 10_000, 20);
    const html = htmlReport([big], { jsonHref: 'report.json' });
    const shown = html.match(/<details class="device">/g) ?? [];
    expect(shown).toHaveLength(TIMELINES_PER_COHORT_MAX);
    expect(html).toContain('SN000000 ✗');
    expect(html).toContain(
      `${10_000 - TIMELINES_PER_COHORT_MAX} more devices: <a href="report.json">in the JSON report</a>`,
    );
    // Size grows with the sample, not the fleet (the whole timeline is ~10,000 × 20 events).
    expect(html.length).toBeLessThan(40_000);
  });
});
