import { afterAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/emulator.ts';
import { loadScenarioFile } from '../../scenarios/engine/load.ts';
import { type RunProgress, runScenario } from '../../scenarios/engine/runner.ts';
import { scenarioFiles } from '../helpers/scenario-files.ts';

/** What a run returns besides the verdicts: the fields reports and replays are made from. */
const { write, remove } = scenarioFiles('fleetsim-runner-result-');
afterAll(remove);

const TEXT = `name: result
tags: [smoke, pc]
specIds: [R-1]
seed: 7
fleet:
  - { name: pcs, platform: windows10, count: 2, osVersion: 22H2 }
  - { name: phone, platform: ios, count: 1, enrollmentType: companyPortal }
timeline:
  - { at: 1h, id: r, do: retire, target: { cohort: pcs, index: 1 } }
  - { at: 1h, id: s, do: sync, target: { cohort: phone } }
  - { at: 1h, id: cp, do: companyPortal, action: sync, target: { cohort: phone } }
  - { at: 1h, id: none, do: sync, target: { cohort: pcs, index: 1 }, expectRefused: notFound }
  - { at: 1h, do: pushChannel, channel: APNs, up: true }
  - { at: 1h, do: pushChannel, channel: FCM, up: true }
expect:
  - { expect: completed, of: r, within: 1h, status: done }
  - { expect: acknowledged, of: s, within: 15m }
  - { expect: state, at: 30m, target: { cohort: pcs }, facts: { state.management.enrolled: true } }
  - { expect: completed, of: cp, within: 1h, status: done }
  - { expect: state, at: 1h, target: { cohort: phone }, facts: { online: true } }
runFor: 10h
`;

describe('a run', () => {
  it('reports its name, tags, rules, seed, cohorts, replay and the verdicts in file order', async () => {
    const path = write('result.yaml', TEXT);
    const progress: RunProgress[] = [];
    let started: Emulator | null = null;
    const r = await runScenario(loadScenarioFile(path), {
      onStart: (e) => {
        started = e;
      },
      onProgress: (p) => {
        progress.push(p);
      },
    });
    expect(started).not.toBeNull();
    expect(r).toMatchObject({
      file: path,
      name: 'result',
      tags: ['smoke', 'pc'],
      specIds: ['R-1'],
      seed: '7',
      replay: `npx fleetsim run ${path} --seed 7`,
    });
    expect(r.cohorts.map((c) => [c.name, c.platform, c.serialNumbers.length])).toEqual([
      ['pcs', 'windows10', 2],
      ['phone', 'ios', 1],
    ]);
    // The refusal verdict comes from its step; the expectations keep their order.
    expect(r.expectations.map((e) => [e.index, e.kind, e.passed])).toEqual([
      [-1, 'refused', false],
      [0, 'completed', true],
      [1, 'acknowledged', true],
      [2, 'state', true],
      [3, 'completed', true],
      [4, 'state', true],
    ]);
    // Propagation per action step: one time per device that acknowledged.
    expect(Object.keys(r.propagationMs).sort()).toEqual(['cp', 'none', 'r', 's']);
    expect(r.propagationMs.r).toHaveLength(1);
    expect(r.propagationMs.none).toEqual([]);
    // The plan: runFor sets the end; the state check is at 30m, before the steps.
    const plan = progress[0];
    if (plan?.kind !== 'plan') throw new Error('no plan first');
    expect(plan.endMs).toBe(10 * 3_600_000);
    expect(plan.items.map((i) => [i.kind, i.index, i.atMs])).toEqual([
      ['expect', 2, 30 * 60_000],
      ['step', 0, 3_600_000],
      ['step', 1, 3_600_000],
      ['step', 2, 3_600_000],
      ['step', 3, 3_600_000],
      ['step', 4, 3_600_000],
      ['step', 5, 3_600_000],
      ['expect', 4, 3_600_000], // at the same time as steps: after them all
      ['expect', 1, 3_600_000 + 15 * 60_000],
      ['expect', 0, 2 * 3_600_000],
      ['expect', 3, 2 * 3_600_000],
    ]);
  });

  it('a seed given to the run wins over the file; a scenario without one runs with its name', async () => {
    const path = write('seedless.yaml', TEXT.replace('seed: 7\n', '').replace('tags: [smoke, pc]\n', ''));
    const own = await runScenario(loadScenarioFile(path));
    expect(own.seed).toBe('result');
    expect(own.tags).toEqual([]);
    const given = await runScenario(loadScenarioFile(path), { seed: 'other' });
    expect(given.seed).toBe('other');
    expect(given.replay).toBe(`npx fleetsim run ${path} --seed other`);
  });

  // 600x: the 15 minutes the sync has are 1.5 s of wall time (at 100000x they were 9 ms, and the
  // sync missed them whenever the machine was busy).
  it('on a scaled clock the run waits for sim time to reach each item (no jumps)', async () => {
    const path = write(
      'scaled.yaml',
      `name: scaled
clock: { mode: scaled, speed: 600 }
fleet:
  - { name: phone, platform: ios, count: 1, enrollmentType: companyPortal }
timeline:
  - { at: 1m, id: s, do: sync, target: all }
expect:
  - { expect: completed, of: s, within: 15m, status: done }
`,
    );
    let clock: ReturnType<Emulator['clockInfo']> | null = null;
    const r = await runScenario(loadScenarioFile(path), {
      onStart: (e) => {
        clock = e.clockInfo();
      },
    });
    expect(clock).toMatchObject({ mode: 'scaled', speed: 600 });
    expect(r.stepErrors).toEqual([]);
    expect(r.expectations.map((e) => [e.passed, e.found])).toEqual([[true, expect.stringMatching(/^all 1/)]]);
  });
});
