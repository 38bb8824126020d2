import { describe, expect, it } from 'vitest';
import { consoleReport, consoleSummary } from '../../scenarios/engine/reporters/console.ts';
import { jsonReport } from '../../scenarios/engine/reporters/json.ts';
import { junitReport } from '../../scenarios/engine/reporters/junit.ts';
import type { ExpectationResult, ScenarioResult } from '../../scenarios/engine/results.ts';

const serials = (n: number) => Array.from({ length: n }, (_, i) => `SN${i}`);

const expectation = (over: Partial<ExpectationResult>): ExpectationResult => ({
  index: 0,
  kind: 'completed',
  id: 'wipe',
  specIds: ['W-1'],
  description: 'wipe completed',
  passed: true,
  expected: 'done within 1h',
  found: '2 of 2 as expected',
  failingDevices: [],
  at: '2026-01-05T01:00:00.000Z',
  ...over,
});

const result = (over: Partial<ScenarioResult>): ScenarioResult => ({
  file: 'scenarios/a.yaml',
  name: 'a <b> & "c"',
  tags: [],
  specIds: ['W-1'],
  seed: 's',
  passed: true,
  stepErrors: [],
  expectations: [expectation({})],
  propagationMs: {},
  cohorts: [],
  timeline: {},
  eventsDropped: 0,
  replay: 'npx fleetsim run scenarios/a.yaml --seed s',
  wallMs: 1234,
  ...over,
});

const failing = result({
  passed: false,
  stepErrors: ['step at 1h (wipe): SN0 refused: x: y'],
  expectations: [
    expectation({}),
    expectation({
      index: 1,
      passed: false,
      found: '0 of 12 as expected',
      failingDevices: serials(12),
    }),
    expectation({ index: 2, passed: false, specIds: [], description: 'no rule', failingDevices: [] }),
  ],
});

describe('the console reporter', () => {
  it('a passing scenario is one line', () => {
    expect(consoleReport(result({}), false)).toBe(
      '✓ a <b> & "c"  (scenarios/a.yaml, 1 expectations, 1234 ms)',
    );
  });

  it('a failing one lists step errors and each failed expectation: rule, expected, found, up to 10 devices, replay', () => {
    expect(consoleReport(failing, false).split('\n')).toEqual([
      '✗ a <b> & "c"  (scenarios/a.yaml, 3 expectations, 1234 ms)',
      '    step failed: step at 1h (wipe): SN0 refused: x: y',
      '    ✗ [W-1] wipe completed',
      '        expected: done within 1h',
      '        found:    0 of 12 as expected',
      '        devices:  SN0, SN1, SN2, SN3, SN4, SN5, SN6, SN7, SN8, SN9 …',
      '    ✗ no rule',
      '        expected: done within 1h',
      '        found:    2 of 2 as expected',
      '    replay: npx fleetsim run scenarios/a.yaml --seed s',
    ]);
    const ten = result({
      passed: false,
      expectations: [expectation({ passed: false, specIds: ['W-1', 'W-2'], failingDevices: serials(10) })],
    });
    expect(consoleReport(ten, false).split('\n')).toContain(
      '        devices:  SN0, SN1, SN2, SN3, SN4, SN5, SN6, SN7, SN8, SN9',
    );
    expect(consoleReport(ten, false).split('\n')).toContain('    ✗ [W-1 W-2] wipe completed');
  });

  it('colours only when asked', () => {
    expect(consoleReport(result({}), true)).toBe(
      '\x1b[32m✓\x1b[0m a <b> & "c"  \x1b[90m(scenarios/a.yaml, 1 expectations, 1234 ms)\x1b[0m',
    );
    expect(consoleReport(failing, true).split('\n').slice(0, 3)).toEqual([
      '\x1b[31m✗\x1b[0m a <b> & "c"  \x1b[90m(scenarios/a.yaml, 3 expectations, 1234 ms)\x1b[0m',
      '    \x1b[31mstep failed:\x1b[0m step at 1h (wipe): SN0 refused: x: y',
      '    \x1b[31m✗\x1b[0m [W-1] wipe completed',
    ]);
  });

  it('the summary counts scenarios and expectations, green when all passed, red otherwise', () => {
    expect(consoleSummary([result({}), failing], 2345, false)).toBe(
      '1 of 2 scenarios passed (4 expectations) in 2.3 s',
    );
    expect(consoleSummary([result({})], 1000, true)).toBe(
      '\x1b[32m1 of 1 scenarios passed (1 expectations) in 1.0 s\x1b[0m',
    );
    expect(consoleSummary([failing], 1000, true)).toBe(
      '\x1b[31m0 of 1 scenarios passed (3 expectations) in 1.0 s\x1b[0m',
    );
  });
});

describe('the JUnit reporter', () => {
  it('a suite per scenario, a case per step error and expectation, failures with what was expected and found, all escaped', () => {
    expect(junitReport([result({}), failing]).split('\n')).toEqual([
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<testsuites name="fleetsim" tests="5" failures="3">',
      '  <testsuite name="a &lt;b&gt; &amp; &quot;c&quot;" tests="1" failures="0" time="1.234">',
      '    <testcase classname="scenarios/a.yaml" name="[W-1] wipe completed"/>',
      '  </testsuite>',
      '  <testsuite name="a &lt;b&gt; &amp; &quot;c&quot;" tests="4" failures="3" time="1.234">',
      '    <testcase classname="scenarios/a.yaml" name="step 1"><failure message="step at 1h (wipe): SN0 refused: x: y">step at 1h (wipe): SN0 refused: x: y',
      'replay: npx fleetsim run scenarios/a.yaml --seed s</failure></testcase>',
      '    <testcase classname="scenarios/a.yaml" name="[W-1] wipe completed"/>',
      '    <testcase classname="scenarios/a.yaml" name="[W-1] wipe completed"><failure message="expected done within 1h; found 0 of 12 as expected">expected: done within 1h',
      'found: 0 of 12 as expected',
      `devices: ${serials(12).join(', ')}`,
      'replay: npx fleetsim run scenarios/a.yaml --seed s</failure></testcase>',
      '    <testcase classname="scenarios/a.yaml" name="no rule"><failure message="expected done within 1h; found 2 of 2 as expected">expected: done within 1h',
      'found: 2 of 2 as expected',
      'devices: —',
      'replay: npx fleetsim run scenarios/a.yaml --seed s</failure></testcase>',
      '  </testsuite>',
      '</testsuites>',
      '',
    ]);
  });

  it('the totals count the failed cases, and a case names every rule it checks', () => {
    const two = result({ expectations: [expectation({ specIds: ['W-1', 'W-2'] })] });
    expect(junitReport([failing]).split('\n')[1]).toBe('<testsuites name="fleetsim" tests="4" failures="3">');
    expect(junitReport([two])).toContain(
      '<testcase classname="scenarios/a.yaml" name="[W-1 W-2] wipe completed"/>',
    );
  });
});

describe('the JSON reporter', () => {
  it('a summary (counts, every rule named once, sorted) and the results, pretty-printed', () => {
    const text = jsonReport([result({ specIds: ['W-2', 'W-1'] }), failing]);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.split('\n')[1]).toBe('  "summary": {');
    const parsed = JSON.parse(text);
    expect(parsed.summary).toEqual({
      scenarios: 2,
      passed: 1,
      failed: 1,
      expectations: 4,
      specIds: ['W-1', 'W-2'],
    });
    expect(parsed.scenarios).toEqual([result({ specIds: ['W-2', 'W-1'] }), failing]);
  });

  it('counts the failed scenarios', () => {
    expect(JSON.parse(jsonReport([result({}), result({}), failing])).summary).toMatchObject({
      passed: 2,
      failed: 1,
    });
  });
});
