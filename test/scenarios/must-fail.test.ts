import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../scenarios/engine/load.ts';
import { runScenario } from '../../scenarios/engine/runner.ts';

/**
 * A judge that fails when it should: one small scenario per expectation kind and option, each run
 * twice — with an expectation that must fail (asserting the verdict and what the message says) and
 * with its twin that must pass, so each case fails for the reason it names and no other.
 */
const dir = mkdtempSync(join(tmpdir(), 'fleetsim-must-fail-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Two Knox phones retired at 1h (the second offline from 30m; the first re-enrolls at 2h), one
 * wiped, a Windows 10 PC whose wipe fails (no working WinRE) and an old one that refuses keepUserData.
 */
const FLEET = `fleet:
  - { name: phones, platform: androidKnox, count: 2 }
  - { name: solo, platform: androidKnox, count: 1 }
  - { name: pc, platform: windows10, count: 1, osVersion: 22H2, overrides: { recoveryEnvironmentHealthy: false } }
  - { name: old, platform: windows10, count: 1, osVersion: "1607" }
`;
const TIMELINE = `timeline:
  - { at: 30m, do: network, target: { cohort: phones, index: 1 }, online: false }
  - { at: 1h, id: retire, do: retire, target: { cohort: phones } }
  - { at: 1h, id: wipe-pc, do: wipe, target: { cohort: pc } }
  - { at: 1h, id: keep-old, do: wipe, target: { cohort: old }, options: { keepUserData: true }, expectRefused: keepUserDataNotSupported }
  - { at: 1h, id: wipe-one, do: wipe, target: { cohort: solo } }
  - { at: 2h, id: again, do: retire, target: { cohort: phones, index: 0 }, expectRefused: notFound }
  - { at: 2h, do: enrollAgain, target: { cohort: phones, index: 0 } }
`;

interface Case {
  name: string;
  fails: string;
  passes: string;
  found: RegExp;
  /** Extra timeline lines (the must-fail step variants). */
  steps?: [string, string];
}

const CASES: Case[] = [
  {
    name: 'acknowledged: within',
    fails: '{ expect: acknowledged, of: retire, within: 1s, devices: any }',
    passes: '{ expect: acknowledged, of: retire, within: 15m, devices: any }',
    found: /not acknowledged/,
  },
  {
    name: 'acknowledged: not',
    fails: '{ expect: acknowledged, of: wipe-one, within: 15m, not: true }',
    passes: '{ expect: acknowledged, of: wipe-one, within: 15m }',
    found: /0 of 1 as expected; .*acknowledged after/,
  },
  {
    name: 'acknowledged: devices (an offline device fails "all")',
    fails: '{ expect: acknowledged, of: retire, within: 15m, devices: all }',
    passes: '{ expect: acknowledged, of: retire, within: 15m, devices: 50% }',
    found: /1 of 2 as expected; .*not acknowledged/,
  },
  {
    name: 'acknowledged: devices as a share',
    fails: '{ expect: acknowledged, of: retire, within: 15m, devices: 51% }',
    passes: '{ expect: acknowledged, of: retire, within: 15m, devices: any }',
    found: /1 of 2 as expected/,
  },
  {
    name: 'completed: within',
    fails: '{ expect: completed, of: wipe-one, within: 1m }',
    passes: '{ expect: completed, of: wipe-one, within: 30m }',
    found: /not finished \((pending|active)\)/,
  },
  {
    name: 'completed: status',
    fails: '{ expect: completed, of: wipe-one, within: 30m, status: failed }',
    passes: '{ expect: completed, of: wipe-one, within: 30m, status: done }',
    found: /done after \d/,
  },
  {
    name: 'completed: reasonCode',
    fails: '{ expect: completed, of: wipe-pc, within: 30m, status: failed, reasonCode: deviceBusy }',
    passes:
      '{ expect: completed, of: wipe-pc, within: 30m, status: failed, reasonCode: recoveryEnvironmentUnavailable }',
    found: /failed \(recoveryEnvironmentUnavailable\)/,
  },
  {
    name: 'completed: of a step whose every device refused (an empty device set is an error)',
    fails: '{ expect: completed, of: keep-old, within: 30m }',
    passes: '{ expect: completed, of: wipe-pc, within: 30m }',
    found: /no devices.*an error, not a pass/,
  },
  {
    name: 'pending: after completion',
    fails: '{ expect: pending, of: wipe-one, at: 3h }',
    passes: '{ expect: pending, of: wipe-one, at: 1h }',
    found: /done/,
  },
  {
    name: 'pending: actionState',
    fails: '{ expect: pending, of: retire, at: 5h, actionState: active, devices: any }',
    passes: '{ expect: pending, of: retire, at: 5h, actionState: pending, devices: any }',
    found: /done.*pending|pending.*done/,
  },
  {
    name: 'pending: devices all (one phone is done, the offline one pending)',
    fails: '{ expect: pending, of: retire, at: 5h }',
    passes: '{ expect: pending, of: retire, at: 5h, devices: any }',
    found: /1 of 2 as expected; .*done/,
  },
  {
    name: 'propagation: names the slow devices',
    fails: '{ expect: propagation, of: retire, percentile: 100, below: 15m }',
    passes: '{ expect: propagation, of: retire, percentile: 50, below: 15m }',
    found: /slower than 15m: .*never acknowledged/,
  },
  {
    name: 'state: a value',
    fails: '{ expect: state, at: 3h, target: { cohort: pc }, facts: { state.boot: setup } }',
    passes: '{ expect: state, at: 3h, target: { cohort: pc }, facts: { state.boot: normal } }',
    found: /state\.boot = "normal"/,
  },
  {
    // Kept by the service outside the record (a management state, the channel): once undefined, so
    // `absent` passed on every device.
    name: 'state: record.deletePending',
    fails: '{ expect: state, at: 3h, target: { cohort: pc }, facts: { record.deletePending: absent } }',
    passes: '{ expect: state, at: 3h, target: { cohort: pc }, facts: { record.deletePending: false } }',
    found: /record\.deletePending = false/,
  },
  {
    name: 'state: not',
    fails: '{ expect: state, at: 3h, target: { cohort: pc }, facts: { state.boot: { not: normal } } }',
    passes: '{ expect: state, at: 3h, target: { cohort: pc }, facts: { state.boot: { not: setup } } }',
    found: /state\.boot = "normal"/,
  },
  {
    name: 'state: oneOf',
    fails:
      '{ expect: state, at: 3h, target: { cohort: pc }, facts: { state.boot: { oneOf: [setup, recoveryEnvironment] } } }',
    passes:
      '{ expect: state, at: 3h, target: { cohort: pc }, facts: { state.boot: { oneOf: [setup, normal] } } }',
    found: /state\.boot = "normal"/,
  },
  {
    name: 'state: everyIfAny',
    fails:
      '{ expect: state, at: 5h, target: { cohort: phones, index: 1 }, facts: { "state.certificates[source=intune].installed": { everyIfAny: false } } }',
    passes:
      '{ expect: state, at: 5h, target: { cohort: phones, index: 1 }, facts: { "state.certificates[source=intune].installed": { everyIfAny: true } } }',
    found: /installed = \[true\]/,
  },
  {
    name: 'state: {count}',
    fails: '{ expect: state, at: 3h, target: { cohort: pc }, facts: { state.accounts: { count: 0 } } }',
    passes: '{ expect: state, at: 3h, target: { cohort: pc }, facts: { state.accounts: { min: 1 } } }',
    found: /state\.accounts = \{"count":\d+\}/,
  },
  {
    name: 'state: devices',
    fails:
      '{ expect: state, at: 1h30m, target: { cohort: phones }, facts: { state.management.enrolled: false } }',
    passes:
      '{ expect: state, at: 1h30m, target: { cohort: phones }, facts: { state.management.enrolled: false }, devices: any }',
    found: /1 of 2 as expected; .*enrolled = true/,
  },
  {
    name: 'record: listed',
    fails: '{ expect: record, at: 5h, target: { cohort: phones, index: 1 }, listed: false }',
    passes: '{ expect: record, at: 5h, target: { cohort: phones, index: 1 }, listed: true }',
    found: /listed, retireIssued/,
  },
  {
    name: 'record: managementState',
    fails: '{ expect: record, at: 5h, target: { cohort: phones, index: 1 }, managementState: managed }',
    passes: '{ expect: record, at: 5h, target: { cohort: phones, index: 1 }, managementState: retireIssued }',
    found: /retireIssued/,
  },
  {
    name: 'record: reappeared',
    fails: '{ expect: record, at: 5h, target: { cohort: pc }, reappeared: true }',
    passes: '{ expect: record, at: 5h, target: { cohort: pc }, reappeared: false }',
    found: /listed, wipeFailed/,
  },
  {
    name: 'record: newRecord (D-9)',
    fails: '{ expect: record, at: 5h, target: { cohort: pc }, newRecord: true }',
    passes: '{ expect: record, at: 5h, target: { cohort: phones, index: 0 }, newRecord: true }',
    found: /the first record/,
  },
  {
    name: 'record: sameRecord (D-9)',
    fails: '{ expect: record, at: 5h, target: { cohort: phones, index: 0 }, sameRecord: true }',
    passes: '{ expect: record, at: 5h, target: { cohort: pc }, sameRecord: true }',
    found: /a new record/,
  },
  {
    name: 'expectRefused: an accepted action',
    fails: '{ expect: record, at: 5h, target: { cohort: pc }, listed: true }',
    passes: '{ expect: record, at: 5h, target: { cohort: pc }, listed: true }',
    steps: [
      '  - { at: 4h, id: sync-pc, do: sync, target: { cohort: pc }, expectRefused: notFound }\n',
      '  - { at: 4h, id: sync-pc, do: sync, target: { cohort: pc } }\n',
    ],
    found: /: accepted/,
  },
];

const scenario = (name: string, expectation: string, step = '') =>
  `name: ${JSON.stringify(name)}\nseed: must-fail\n${FLEET}${TIMELINE}${step}expect:\n  - ${expectation}\n`;

async function run(name: string, text: string) {
  const path = join(dir, `${name.replace(/\W+/g, '-')}.yaml`);
  writeFileSync(path, text);
  return runScenario(loadScenarioFile(path));
}

describe('the judge fails when it should', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (name, c) => {
    const failing = await run(`${name}-fails`, scenario(name, c.fails, c.steps?.[0]));
    expect(failing.stepErrors).toEqual([]);
    expect(failing.passed).toBe(false);
    const failed = failing.expectations.filter((e) => !e.passed);
    expect(failed).toHaveLength(1);
    expect(failed[0]!.found).toMatch(c.found);
    // Expected text and found text each say their part once (no "expected Invalid … Expected …").
    expect(failed[0]!.expected).not.toMatch(/expected/i);
    const passing = await run(`${name}-passes`, scenario(name, c.passes, c.steps?.[1]));
    expect(passing.stepErrors).toEqual([]);
    expect(passing.expectations.filter((e) => !e.passed).map((e) => `${e.description}: ${e.found}`)).toEqual(
      [],
    );
  });
});
