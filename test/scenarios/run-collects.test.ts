import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../cli/run.ts';
import { FULL_GC_FROM_DEVICES, fullCollectionsSoFar } from '../../sim/full-gc.ts';

/** A scenario of `count` Windows 10 devices over an hour: every one is listed at its end. */
function scenario(dir: string, count: number): string {
  const file = join(dir, `fleet-${count}.yaml`);
  writeFileSync(
    file,
    [
      `name: ${count} devices for an hour`,
      'seed: collects',
      'fleet:',
      `  - { name: pcs, platform: windows10, count: ${count} }`,
      'expect:',
      '  - { expect: record, at: 1h, target: { cohort: pcs }, listed: true }',
      'runFor: 1h',
      '',
    ].join('\n'),
  );
  return file;
}

describe('fleetsim run with a big fleet (cli/run.ts, sim/full-gc.ts)', () => {
  it('collects the heap in full before stopping the fleet and again before the reports', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fleetsim-collects-'));
    try {
      const json = join(dir, 'report.json');
      const before = fullCollectionsSoFar();
      expect(await run([scenario(dir, 10)], { reporter: [`json=${json}`], jobs: 1 })).toBe(true);
      expect(fullCollectionsSoFar(), 'a small fleet: none').toBe(before);
      expect(await run([scenario(dir, FULL_GC_FROM_DEVICES)], { reporter: [`json=${json}`], jobs: 1 })).toBe(
        true,
      );
      expect(fullCollectionsSoFar()).toBe(before + 2);
      // The report is the big fleet's, whole.
      const report = JSON.parse(readFileSync(json, 'utf8')) as {
        scenarios: { cohorts: { serialNumbers: string[] }[] }[];
      };
      expect(report.scenarios[0]!.cohorts[0]!.serialNumbers).toHaveLength(FULL_GC_FROM_DEVICES);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
