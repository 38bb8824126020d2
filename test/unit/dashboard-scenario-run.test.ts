import { describe, expect, it } from 'vitest';
import {
  runIsOver,
  runTimeline,
  runVerdict,
  type ScenarioRun,
  simOffset,
} from '../../dashboard/src/logic/scenario-run.ts';

/** The scenario playback's view logic, without a browser: the timeline and verdict follow from a run. */

const verdict = (passed: boolean, found: string) => ({
  passed,
  expected: 'acknowledged within 15m',
  found,
  failingDevices: passed ? [] : ['R52X0001'],
  at: '2026-01-01T01:15:00.000Z',
});

/** A run of two steps (a retire, and a wipe that must be refused) and two expectations, as planned. */
function run(over: Partial<ScenarioRun> = {}): ScenarioRun {
  return {
    id: 'r1',
    file: '/lib/passes.yaml',
    name: 'two phones',
    seed: 'playback',
    status: 'running',
    progress: 1,
    simStart: '2026-01-01T00:00:00.000Z',
    endMs: 7_200_000,
    steps: [
      {
        index: 0,
        at: '1h',
        atMs: 3_600_000,
        text: 'retire "retire" on cohort phones',
        done: false,
        errors: [],
        refusal: null,
      },
      {
        index: 1,
        at: '30m',
        atMs: 1_800_000,
        text: 'wipe "keep" on cohort old',
        done: false,
        errors: [],
        refusal: null,
      },
    ],
    expectations: [
      { index: 0, description: 'p95 below 15m', specIds: [], atMs: 7_200_000, verdict: null },
      { index: 1, description: 'retire acknowledged', specIds: ['R-4'], atMs: 3_600_000, verdict: null },
    ],
    stepErrors: [],
    error: null,
    replay: 'npx fleetsim run /lib/passes.yaml --seed playback',
    wallMs: null,
    ...over,
  };
}

describe('scenario playback timeline', () => {
  it('orders steps and expectations by sim time, a step before an expectation at the same instant, all waiting', () => {
    const entries = runTimeline(run());
    expect(entries.map((e) => [e.key, e.atMs, e.state])).toEqual([
      ['s1', 1_800_000, 'waiting'],
      ['s0', 3_600_000, 'waiting'],
      ['e1', 3_600_000, 'waiting'],
      ['e0', 7_200_000, 'waiting'],
    ]);
  });

  it('puts what has no time yet (before the run has planned) last, in file order', () => {
    const r = run();
    r.expectations = r.expectations.map((e) => ({ ...e, atMs: null }));
    expect(runTimeline(r).map((e) => e.key)).toEqual(['s1', 's0', 'e0', 'e1']);
  });

  it("turns a judged expectation green or red with the judge's expected and found text", () => {
    const r = run();
    r.expectations[0]!.verdict = verdict(true, 'all 2 as expected');
    r.expectations[1]!.verdict = verdict(false, '1 of 2 as expected; R52X0001: not acknowledged');
    const byKey = Object.fromEntries(runTimeline(r).map((e) => [e.key, e]));
    expect(byKey.e0).toMatchObject({ state: 'passed', found: 'all 2 as expected' });
    expect(byKey.e1).toEqual({
      key: 'e1',
      atMs: 3_600_000,
      kind: 'expectation',
      text: 'retire acknowledged',
      specIds: ['R-4'],
      state: 'failed',
      expected: 'acknowledged within 15m',
      found: '1 of 2 as expected; R52X0001: not acknowledged',
    });
  });

  it('a step is done when carried out; one that expected a refusal is judged; one with errors failed', () => {
    const r = run();
    r.steps[0]!.done = true;
    r.steps[1] = {
      ...r.steps[1]!,
      done: true,
      refusal: {
        ...verdict(false, 'PC0001: accepted'),
        expected: 'every device refuses with keepUserDataNotSupported',
        description: 'wipe refused with keepUserDataNotSupported',
        specIds: ['W-4'],
      },
    };
    const [refused, retired] = runTimeline(r);
    expect(refused).toMatchObject({
      state: 'failed',
      specIds: ['W-4'],
      expected: 'every device refuses with keepUserDataNotSupported',
      found: 'PC0001: accepted',
    });
    expect(retired).toMatchObject({ state: 'done', expected: null, found: null });
    r.steps[0]!.errors = ['step at 1h (retire retire): R52X0001 refused: notFound: gone'];
    expect(runTimeline(r)[1]).toMatchObject({
      state: 'failed',
      expected: 'carried out without a refusal',
      found: 'step at 1h (retire retire): R52X0001 refused: notFound: gone',
    });
  });
});

describe('scenario playback verdict', () => {
  it('says what is going on while the run enrolls and runs', () => {
    expect(runVerdict(run({ status: 'enrolling' }))).toEqual({
      state: 'running',
      text: 'Enrolling the scenario’s fleet…',
    });
    const r = run();
    r.steps[1]!.done = true;
    r.expectations[1]!.verdict = verdict(true, 'all 2 as expected');
    expect(runVerdict(r).text).toBe('Running: 1 of 2 steps done, 1 of 2 expectations judged');
    expect(runIsOver(r)).toBe(false);
  });

  it('passed, failed (counting what did not hold, refusals that did not come, step errors) and error', () => {
    expect(runVerdict(run({ status: 'passed' }))).toEqual({
      state: 'passed',
      text: 'Passed: all 2 expectations held',
    });
    const r = run({ status: 'failed', stepErrors: ['a', 'b'] });
    r.expectations[0]!.verdict = verdict(true, 'all 2 as expected');
    r.expectations[1]!.verdict = verdict(false, 'none');
    r.steps[1]!.refusal = {
      ...verdict(false, 'accepted'),
      description: 'refused',
      specIds: [],
    };
    expect(runVerdict(r)).toEqual({
      state: 'failed',
      text: 'Failed: 1 of 2 expectations did not hold, 1 expected refusal did not come, 2 step errors',
    });
    expect(runIsOver(r)).toBe(true);
    expect(runVerdict(run({ status: 'error', error: 'the service did not come back' }))).toEqual({
      state: 'failed',
      text: 'The run stopped with an error: the service did not come back',
    });
  });

  it('writes sim offsets as the scenario files do', () => {
    expect([0, 45 * 60_000, 75 * 60_000, 2 * 86_400_000 + 3 * 3_600_000, 90_000].map(simOffset)).toEqual([
      '0m',
      '45m',
      '1h15m',
      '2d3h',
      '2m',
    ]);
  });
});
