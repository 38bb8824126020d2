import type { ScenarioResult } from '../results.ts';

/** JSON: the results and every device's timeline. Apart from `wallMs`, the same seed gives the same report. */
export function jsonReport(results: readonly ScenarioResult[]): string {
  const summary = {
    scenarios: results.length,
    passed: results.filter((r) => r.passed).length,
    failed: results.filter((r) => !r.passed).length,
    expectations: results.reduce((n, r) => n + r.expectations.length, 0),
    specIds: [...new Set(results.flatMap((r) => r.specIds))].sort(),
  };
  return `${JSON.stringify({ summary, scenarios: results }, null, 2)}\n`;
}
