import type { ScenarioResult } from '../results.ts';

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** JUnit XML: a test suite per scenario, a test case per expectation (and one per step error). */
export function junitReport(results: readonly ScenarioResult[]): string {
  const suites = results.map((r) => {
    const cases = [
      ...r.stepErrors.map(
        (err, i) =>
          `    <testcase classname="${esc(r.file)}" name="step ${i + 1}"><failure message="${esc(err)}">${esc(`${err}\nreplay: ${r.replay}`)}</failure></testcase>`,
      ),
      ...r.expectations.map((e) => {
        const name = esc(`${e.specIds.length ? `[${e.specIds.join(' ')}] ` : ''}${e.description}`);
        if (e.passed) return `    <testcase classname="${esc(r.file)}" name="${name}"/>`;
        const body = `expected: ${e.expected}\nfound: ${e.found}\ndevices: ${e.failingDevices.join(', ') || '—'}\nreplay: ${r.replay}`;
        return `    <testcase classname="${esc(r.file)}" name="${name}"><failure message="${esc(`expected ${e.expected}; found ${e.found}`)}">${esc(body)}</failure></testcase>`;
      }),
    ];
    const failures = r.stepErrors.length + r.expectations.filter((e) => !e.passed).length;
    return `  <testsuite name="${esc(r.name)}" tests="${cases.length}" failures="${failures}" time="${(r.wallMs / 1000).toFixed(3)}">\n${cases.join('\n')}\n  </testsuite>`;
  });
  const tests = results.reduce((n, r) => n + r.expectations.length + r.stepErrors.length, 0);
  const failures = results.reduce(
    (n, r) => n + r.stepErrors.length + r.expectations.filter((e) => !e.passed).length,
    0,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="fleetsim" tests="${tests}" failures="${failures}">\n${suites.join('\n')}\n</testsuites>\n`;
}
