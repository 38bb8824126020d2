import type { ScenarioResult } from '../results.ts';

/** Readable console output: a line per scenario, and for a failure what was expected, found, and how to replay it. */
export function consoleReport(result: ScenarioResult, color: boolean): string {
  const paint = (code: number, s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const lines = [
    `${result.passed ? paint(32, '✓') : paint(31, '✗')} ${result.name}  ${paint(90, `(${result.file}, ${result.expectations.length} expectations, ${result.wallMs} ms)`)}`,
  ];
  for (const err of result.stepErrors) lines.push(`    ${paint(31, 'step failed:')} ${err}`);
  for (const e of result.expectations.filter((x) => !x.passed)) {
    lines.push(
      `    ${paint(31, '✗')} ${e.specIds.length ? `[${e.specIds.join(' ')}] ` : ''}${e.description}`,
    );
    lines.push(`        expected: ${e.expected}`, `        found:    ${e.found}`);
    if (e.failingDevices.length)
      lines.push(
        `        devices:  ${e.failingDevices.slice(0, 10).join(', ')}${e.failingDevices.length > 10 ? ' …' : ''}`,
      );
  }
  if (!result.passed) lines.push(`    replay: ${result.replay}`);
  return lines.join('\n');
}

export function consoleSummary(results: readonly ScenarioResult[], wallMs: number, color: boolean): string {
  const failed = results.filter((r) => !r.passed).length;
  const expectations = results.reduce((n, r) => n + r.expectations.length, 0);
  const text = `${results.length - failed} of ${results.length} scenarios passed (${expectations} expectations) in ${(wallMs / 1000).toFixed(1)} s`;
  return color ? `\x1b[${failed ? 31 : 32}m${text}\x1b[0m` : text;
}
