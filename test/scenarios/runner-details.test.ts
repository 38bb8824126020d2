import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { Emulator } from '../../emulator/emulator.ts';
import { loadScenarioFile } from '../../scenarios/engine/load.ts';
import { type RunProgress, runScenario } from '../../scenarios/engine/runner.ts';
import { scenarioFiles } from '../helpers/scenario-files.ts';

/**
 * What the runner does beyond the verdicts: the agenda's order, where the run ends, what each step
 * asks of the service (as the scenario's admin) and of the devices, and the errors it reports.
 */
const { write, remove } = scenarioFiles('fleetsim-runner-details-');
afterAll(remove);

/** The emulator's database, as the runner chose it. */
const dbOf = (e: Emulator) => (e as unknown as { options: { db: string } }).options.db;

async function runText(name: string, text: string, onProgress?: (p: RunProgress) => void) {
  let emulator: Emulator | null = null;
  const outer = performance.now();
  const result = await runScenario(loadScenarioFile(write(`${name}.yaml`, text)), {
    onStart: (e) => {
      emulator = e;
      vi.spyOn(e, 'close');
    },
    ...(onProgress ? { onProgress } : {}),
  });
  return { result, emulator: emulator! as Emulator, wallMs: performance.now() - outer };
}

describe('the agenda', () => {
  it('a scenario without a timeline runs to runFor, in memory; the emulator is closed after', async () => {
    const { result, emulator, wallMs } = await runText(
      'bare',
      `name: bare
fleet:
  - { name: pc, platform: windows10, count: 1, osVersion: 22H2 }
expect:
  - { expect: state, at: 1h, target: all, facts: { online: true } }
runFor: 5h
`,
    );
    expect(result.passed).toBe(true);
    expect(result.specIds).toEqual([]);
    expect(result.propagationMs).toEqual({});
    expect(dbOf(emulator)).toBe(':memory:');
    expect(emulator.close).toHaveBeenCalledTimes(1);
    // The clock ran on to runFor after the last expectation.
    expect(emulator.clock.now() - Date.parse(result.expectations[0]!.at)).toBe(4 * 3_600_000);
    expect(result.wallMs).toBeGreaterThanOrEqual(0);
    expect(result.wallMs).toBeLessThanOrEqual(Math.ceil(wallMs));
  });

  it('propagation is judged at the end, after what is due at a time, whatever its place in the file', async () => {
    const seen: RunProgress[] = [];
    await runText(
      'order',
      `name: order
fleet:
  - { name: pc, platform: windows10, count: 1, osVersion: 22H2 }
timeline:
  - { at: 1h, id: s, do: sync, target: all }
expect:
  - { expect: propagation, of: s, percentile: 50, below: 1h }
  - { expect: state, at: 30m, target: all, facts: { online: true } }
  - { expect: acknowledged, of: s, within: 1h }
`,
      (p) => void seen.push(p),
    );
    const plan = seen[0];
    if (plan?.kind !== 'plan') throw new Error('no plan first');
    expect(plan.items).toEqual([
      { kind: 'expect', index: 1, atMs: 30 * 60_000 },
      { kind: 'step', index: 0, atMs: 3_600_000 },
      { kind: 'expect', index: 2, atMs: 2 * 3_600_000 },
      { kind: 'expect', index: 0, atMs: null },
    ]);
  });
});

const STEPS = `name: steps
seed: a
fleet:
  - { name: pc, platform: windows10, count: 1, osVersion: 22H2 }
  - { name: kiosk, platform: androidDedicated, count: 1 }
timeline:
  - { at: 1h, id: w, do: wipe, target: { cohort: pc } }
  - { at: 1h, id: w2, do: wipe, target: { cohort: pc }, expectRefused: deviceBusy }
  - { at: 1h, id: cp, do: companyPortal, action: sync, target: { cohort: kiosk } }
  - { at: 1h, do: sync, target: { cohort: kiosk } }
  - { at: 2h, do: power, target: { cohort: kiosk }, on: false }
  - { at: 3h, do: sync, target: { cohort: pc } }
  - { at: 3h, do: fault, target: { cohort: pc }, conditions: { corruptedInstallation: true } }
  - { at: 5h, do: fault, target: { cohort: pc }, bitLocker: false, recoveryEnvironmentHealthy: false }
expect:
  - { expect: state, at: 30m, target: all, facts: { online: true } }
  - { expect: state, at: 150m, target: { cohort: kiosk }, facts: { state.power: off } }
  - { expect: state, at: 4h, target: { cohort: pc }, facts: { state.bitLocker: true, state.recoveryEnvironmentHealthy: true, state.conditions.corruptedInstallation: true } }
  - { expect: state, at: 6h, target: { cohort: pc }, facts: { state.bitLocker: false, state.recoveryEnvironmentHealthy: false } }
`;

describe('the steps', () => {
  it('ask as the scenario admin; report refusals, unenrolled devices, and a step only its own verdicts', async () => {
    const steps: RunProgress[] = [];
    const { result, emulator } = await runText('steps', STEPS, (p) => {
      if (p.kind === 'step') steps.push(p);
    });
    // No restartService step: the service's store stays in memory.
    expect(dbOf(emulator)).toBe(':memory:');
    const [pc, kiosk] = result.cohorts.map((c) => c.serialNumbers[0]!);
    expect(result.stepErrors).toEqual([
      // A device without a user: the Company Portal is asked for by nobody ('').
      `step at 1h (companyPortal cp): ${kiosk} refused: companyPortalActionNotAllowed:  is not the primary user of this device.`,
      // Wiped at 1h, so no longer enrolled at 3h.
      `step at 3h (sync): ${pc} refused: notFound: ${pc} is not enrolled`,
    ]);
    // The second wipe at the same instant joins the first (the same action, so the same time).
    expect(result.propagationMs).toEqual({ w: [18_718], w2: [18_718], cp: [] });
    expect(result.timeline[pc!]!.map((t) => t.event).filter((e) => e.startsWith('action.'))).toEqual([
      expect.stringMatching(
        /^action\.requested actionId=\S+ action=wipe options=\{\} initiatedBy=admin@contoso\.onmicrosoft\.com source=admin$/,
      ),
      expect.stringMatching(/^action\.coalesced .* initiatedBy=admin@contoso\.onmicrosoft\.com$/),
      expect.stringMatching(/^action\.delivered /),
      expect.stringMatching(/^action\.acknowledged .* propagationMs=18718$/),
      expect.stringMatching(/^action\.completed .* status=done/),
    ]);
    // The refusal the step expected is its verdict; a reason of fleetsim's own design names no rule.
    expect(steps[1]).toMatchObject({ index: 1, verdicts: [{ id: 'w2', specIds: [], passed: false }] });
    expect(steps.map((s) => (s.kind === 'step' ? s.verdicts.length : -1))).toEqual([0, 1, 0, 0, 0, 0, 0, 0]);
    // Power and faults change exactly what the step says.
    expect(
      result.expectations.filter((e) => e.kind === 'state').map((e) => [e.index, e.passed, e.found]),
    ).toEqual([
      [0, true, 'all 2 as expected'],
      [1, true, 'all 1 as expected'],
      [2, true, 'all 1 as expected'],
      [3, true, 'all 1 as expected'],
    ]);
  });

  it('an expected refusal from no device at all is an error, not a pass', async () => {
    const loaded = loadScenarioFile(write('none.yaml', STEPS));
    const step = loaded.scenario.timeline![1]!;
    if (step.do !== 'wipe') throw new Error('the wipe step');
    // A target that selects nothing (the loader refuses one; the runner is also called directly).
    step.target = { cohort: 'ghost' };
    const r = await runScenario(loaded);
    expect(r.expectations[0]).toMatchObject({
      kind: 'refused',
      passed: false,
      found: 'no devices: the target selected none, so nothing was checked (an error, not a pass)',
      failingDevices: [],
    });
  });

  it('restartService runs on a database file, removed after; a restart that fails is a step error', async () => {
    let db = '';
    const r = await runScenario(
      loadScenarioFile(
        write(
          'restart.yaml',
          `name: restart
fleet:
  - { name: pc, platform: windows10, count: 1, osVersion: 22H2 }
timeline:
  - { at: 1h, do: restartService }
expect:
  - { expect: state, at: 2h, target: all, facts: { online: true } }
`,
        ),
      ),
      {
        onStart: (e) => {
          db = dbOf(e);
          vi.spyOn(e, 'restartService').mockRejectedValue(new Error('disk full'));
        },
      },
    );
    expect(db).toMatch(/\/fleetsim-scenario-[^/]+\/service\.db$/);
    expect(existsSync(dirname(db))).toBe(false);
    expect(r.stepErrors).toEqual(['step at 1h (restartService): the service did not come back: disk full']);
  });
});
