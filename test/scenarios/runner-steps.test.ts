import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../scenarios/engine/load.ts';
import { runScenario } from '../../scenarios/engine/runner.ts';

/**
 * The runner's steps: what each does, and the step errors it reports when a step cannot do what
 * it says (a refusal nobody expected, a user or directory record that is not there, a cleanup
 * setting accepted or refused against expectation). A step error fails the scenario.
 */
const dir = mkdtempSync(join(tmpdir(), 'fleetsim-runner-steps-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const FLEET = `fleet:
  - { name: pc, platform: windows10, count: 1, osVersion: 22H2, user: pat@contoso.com }
  - { name: old, platform: windows10, count: 1, osVersion: "1607" }
`;
const CHECK = `expect:
  - { expect: state, at: 5h, target: { cohort: pc }, facts: { online: true } }
`;

async function runScenarioText(text: string) {
  const path = join(dir, `${text.split('\n')[0]!.slice(6)}.yaml`);
  writeFileSync(path, text);
  return runScenario(loadScenarioFile(path));
}

async function run(name: string, timeline: string, expectations = CHECK) {
  const path = join(dir, `${name}.yaml`);
  writeFileSync(path, `name: ${name}\nseed: steps\n${FLEET}timeline:\n${timeline}${expectations}`);
  return runScenario(loadScenarioFile(path));
}

describe('step errors', () => {
  it('an action refused without expectRefused names the step, the device, the code and the message', async () => {
    const r = await run(
      'refused',
      '  - { at: 1h, id: keep, do: wipe, target: { cohort: old }, options: { keepUserData: true } }\n',
    );
    expect(r.passed).toBe(false);
    expect(r.stepErrors).toEqual([
      `step at 1h (wipe keep): ${r.cohorts[1]!.serialNumbers[0]} refused: keepUserDataNotSupported: keepUserData (keep enrollment state and user account) requires Windows 10 version 1709 or later.`,
    ]);
  });

  it('a cleanup setting out of range is an error unless a refusal is expected; an accepted one expected refused is an error', async () => {
    const r = await run(
      'cleanup',
      [
        '  - { at: 1h, do: cleanupSettings, days: 10 }',
        '  - { at: 1h, do: cleanupSettings, days: 20, expectRefused: true }',
        '  - { at: 1h, do: cleanupSettings, days: 90, expectRefused: true }',
        '  - { at: 1h, do: cleanupSettings, days: 0 }',
        '',
      ].join('\n'),
    );
    expect(r.stepErrors).toEqual([
      'step at 1h (cleanupSettings): deviceInactivityBeforeRetirementInDays must be 0 or a whole number from 30 to 270, got 10.',
      'step at 1h (cleanupSettings): 90 days was accepted, expected a refusal',
    ]);
  });

  it('deleting a user that is not there, or an Azure AD record twice, is an error naming it', async () => {
    const r = await run(
      'directory',
      [
        '  - { at: 1h, do: deleteUser, user: pat@contoso.com }',
        '  - { at: 1h, do: deleteUser, user: nobody@contoso.com }',
        '  - { at: 1h, do: deleteAzureAdDevice, target: { cohort: pc } }',
        '  - { at: 2h, do: deleteAzureAdDevice, target: { cohort: pc } }',
        '',
      ].join('\n'),
    );
    expect(r.stepErrors).toEqual([
      'step at 1h (deleteUser): no user nobody@contoso.com',
      `step at 2h (deleteAzureAdDevice): ${r.cohorts[0]!.serialNumbers[0]} has no Azure AD record`,
    ]);
  });

  it('the steps that cannot fail report nothing, and a run with no step error and every expectation met passes', async () => {
    const r = await run(
      'quiet',
      [
        '  - { at: 1h, do: pushChannel, channel: WNS, up: false }',
        '  - { at: 1h, do: abm, target: all, assigned: true }',
        '  - { at: 1h, do: power, target: { cohort: old }, on: false }',
        '  - { at: 2h, do: network, target: { cohort: old }, online: false }',
        '  - { at: 2h, do: fault, target: { cohort: old }, bitLocker: true }',
        '  - { at: 3h, id: s, do: sync, target: { cohort: pc } }',
        '',
      ].join('\n'),
    );
    expect(r.stepErrors).toEqual([]);
    expect(r.passed).toBe(true);
    expect(r.expectations.map((e) => e.passed)).toEqual([true]);
  });
});

describe('expectRefused', () => {
  it('passes when every device refuses with the code, and names the rule behind it', async () => {
    const r = await run(
      'expected',
      '  - { at: 1h, id: keep, do: wipe, target: { cohort: old }, options: { keepUserData: true }, expectRefused: keepUserDataNotSupported }\n',
    );
    expect(r.stepErrors).toEqual([]);
    expect(r.expectations[0]).toMatchObject({
      index: -1,
      kind: 'refused',
      id: 'keep',
      specIds: ['W-4'],
      description: 'wipe refused with keepUserDataNotSupported',
      passed: true,
      expected: 'every device refuses with keepUserDataNotSupported',
      found: '1 refused with keepUserDataNotSupported',
      failingDevices: [],
    });
  });

  it('fails naming each device that was accepted or refused otherwise; notFound names no rule', async () => {
    const r = await run(
      'unexpected',
      '  - { at: 1h, do: wipe, target: all, options: { keepUserData: true }, expectRefused: notFound }\n',
    );
    const [pc, old] = [r.cohorts[0]!.serialNumbers[0]!, r.cohorts[1]!.serialNumbers[0]!];
    expect(r.expectations[0]).toMatchObject({
      id: null,
      specIds: [],
      passed: false,
      found: `${pc}: accepted; ${old}: keepUserDataNotSupported`,
      failingDevices: [pc, old],
    });
    expect(r.passed).toBe(false);
  });

  it('restartService: the service comes back from its store with the records it had', async () => {
    const r = await run(
      'restart',
      [
        '  - { at: 1h, id: r, do: retire, target: { cohort: old } }',
        '  - { at: 2h, do: restartService }',
        '',
      ].join('\n'),
      `expect:
  - { expect: record, at: 3h, target: { cohort: pc }, listed: true, managementState: managed, sameRecord: true }
  - { expect: completed, of: r, within: 1h, status: done }
`,
    );
    expect(r.stepErrors).toEqual([]);
    expect(r.expectations.map((e) => [e.kind, e.passed])).toEqual([
      ['record', true],
      ['completed', true],
    ]);
  });

  it('freshStart asks for keepUserData exactly as the step says; delete takes the record off the list', async () => {
    const r = await runScenarioText(`name: fresh
seed: steps
fleet:
  - { name: keep, platform: windows10, count: 1, osVersion: 22H2 }
  - { name: wipe, platform: windows10, count: 1, osVersion: 22H2 }
  - { name: gone, platform: windows10, count: 1, osVersion: 22H2 }
timeline:
  - { at: 1h, id: k, do: freshStart, target: { cohort: keep }, keepUserData: true }
  - { at: 1h, id: w, do: freshStart, target: { cohort: wipe }, keepUserData: false }
  - { at: 1h, id: d, do: delete, target: { cohort: gone } }
expect:
  - { expect: record, at: 4h, target: { cohort: gone }, listed: false }
`);
    expect(r.stepErrors).toEqual([]);
    const requested = (cohort: number) =>
      r.timeline[r.cohorts[cohort]!.serialNumbers[0]!]!.map((t) => t.event).filter((e) =>
        e.startsWith('action.requested'),
      );
    expect(requested(0)).toEqual([
      expect.stringContaining('action=cleanWindowsDevice options={"keepUserData":true}'),
    ]);
    expect(requested(1)).toEqual([
      expect.stringContaining('action=cleanWindowsDevice options={"keepUserData":false}'),
    ]);
    expect(requested(2)).toEqual([expect.stringContaining('action=delete options={}')]);
    expect(r.expectations.map((e) => e.passed)).toEqual([true]);
  });
});
