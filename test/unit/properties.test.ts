import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { StateOverrides } from '../../agent/fleet/cohort.ts';
import { generateFleet } from '../../agent/fleet/generator.ts';
import { completeReset, powerOff, powerOn, resetDueAtMs, runCommand } from '../../agent/model/actions.ts';
import type { Command, Device, Outcome } from '../../agent/model/commands.ts';
import { type DeviceState, UNBOOTABLE } from '../../sim/device-state.ts';
import type { WipeOptions } from '../../sim/eligibility.ts';
import { PLATFORM_IDS, PLATFORMS } from '../../sim/platforms/index.ts';
import type { PlatformId } from '../../sim/platforms/types.ts';
import { createRng } from '../../sim/prng.ts';

/**
 * Property-based tests over random devices, random initial states and random sequences of
 * commands and power cuts. Invariants are checked after every step, outside the code under test.
 */

const RUNS = 150;

const overridesArb: fc.Arbitrary<StateOverrides> = fc.record({
  conditions: fc.record({
    corruptedInstallation: fc.boolean(),
    bitLockerResetFails: fc.boolean(),
    rollbackFails: fc.boolean(),
  }),
  bitLocker: fc.boolean(),
  recoveryEnvironmentHealthy: fc.boolean(),
  esimDataPlan: fc.constantFrom(true, false, null),
});

const deviceArb = (platforms: readonly PlatformId[] = PLATFORM_IDS) =>
  fc
    .record({
      platform: fc.constantFrom(...platforms),
      seed: fc.string({ maxLength: 8 }),
      modeIndex: fc.nat(),
      releaseIndex: fc.nat(),
      overrides: overridesArb,
    })
    .map(({ platform, seed, modeIndex, releaseIndex, overrides }): Device => {
      const profile = PLATFORMS[platform];
      const mode = profile.enrollmentModes[modeIndex % profile.enrollmentModes.length]!;
      const release = profile.osReleases[releaseIndex % profile.osReleases.length]!;
      // Only states the platform can have: BitLocker and WinRE on Windows, an eSIM on iOS.
      const { bitLocker, recoveryEnvironmentHealthy, esimDataPlan, ...rest } = overrides;
      const own: StateOverrides = {
        ...rest,
        ...(profile.family === 'windows' ? { bitLocker, recoveryEnvironmentHealthy } : {}),
        ...(platform === 'ios' ? { esimDataPlan } : {}),
      };
      const [d] = generateFleet({
        seed,
        cohorts: [
          { platform, count: 1, enrollmentType: mode.type, osVersion: release.version, overrides: own },
        ],
      });
      return { identity: d!.identity, state: d!.state };
    });

const wipeOptionsArb: fc.Arbitrary<WipeOptions> = fc.record(
  {
    keepUserData: fc.boolean(),
    keepEnrollmentData: fc.boolean(),
    useProtectedWipe: fc.boolean(),
    persistEsimDataPlan: fc.boolean(),
  },
  { requiredKeys: [] },
);

type Step =
  | { kind: 'command'; command: Command }
  | { kind: 'powerCut' }
  | { kind: 'powerOn' }
  | { kind: 'finishReset' };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('command' as const),
    command: fc.constant<Command>({ id: 'sync', type: 'sync' }),
  }),
  fc.record({
    kind: fc.constant('command' as const),
    command: fc.constant<Command>({ id: 'retire', type: 'retire' }),
  }),
  fc.record({
    kind: fc.constant('command' as const),
    command: wipeOptionsArb.map((options): Command => ({ id: 'wipe', type: 'wipe', options })),
  }),
  fc.record({
    kind: fc.constant('command' as const),
    command: fc.boolean().map((keepUserData): Command => ({ id: 'fresh', type: 'freshStart', keepUserData })),
  }),
  fc.constant<Step>({ kind: 'powerCut' }),
  fc.constant<Step>({ kind: 'powerOn' }),
  fc.constant<Step>({ kind: 'finishReset' }),
);

/** Personal data: what a retire must never remove. */
function personalData(s: DeviceState) {
  return {
    files: s.files,
    apps: s.apps.filter((a) => a.kind === 'personal' || a.kind === 'storeUser' || a.kind === 'win32User'),
    networkProfiles: s.networkProfiles.filter((p) => p.source === 'user'),
    certificates: s.certificates.filter((c) => c.source === 'user'),
    emailProfiles: s.emailProfiles.filter((p) => p.source === 'user'),
    accounts: s.accounts.filter((a) => a.kind !== 'azureAd'),
  };
}

/** W-1 as an invariant: nothing of the user's, no account, no MDM policy, out of management. */
function expectFactoryState(s: DeviceState) {
  expect(s.accounts).toEqual([]);
  expect(s.files).toEqual([]);
  expect(s.management.policies).toEqual([]);
  expect(s.management.enrolled).toBe(false);
  expect(s.workProfile).toBeNull();
  expect(s.emailProfiles).toEqual([]);
  expect(s.networkProfiles).toEqual([]);
  expect(s.certificates.filter((c) => c.installed)).toEqual([]);
  expect(s.mail).toEqual({ cachedMessages: 0, efsProtectedMessages: 0 });
  // W-1: apps of the factory image come back with none of their former data; every other app is gone.
  expect(s.apps.flatMap((a) => a.data)).toEqual([]);
  expect(s.apps.every((a) => a.kind === 'storeOem' || a.kind === 'win32Oem')).toBe(true);
}

/** Drives a device through steps the way a runtime would, checking invariants after each. */
function drive(start: Device, steps: readonly Step[]) {
  let device = start;
  let now = 0;
  const rng = createRng('drive');
  const outcomes: Outcome[] = [];
  for (const step of steps) {
    now += 60_000;
    const { state } = device;
    const bootable = !UNBOOTABLE.includes(state.boot);
    let t: ReturnType<typeof runCommand> | null = null;
    if (step.kind === 'command') {
      // A runtime delivers commands only to an enrolled device that is on, booted and idle.
      if (state.power === 'on' && bootable && state.management.enrolled && !state.nvram.resetJob) {
        t = runCommand(device, step.command, { nowMs: now, rng });
      }
    } else if (step.kind === 'powerCut') {
      t = powerOff(device);
    } else if (step.kind === 'powerOn') {
      t = powerOn(device, { nowMs: now, rng });
    } else {
      const due = resetDueAtMs(state);
      if (due !== null) {
        now = Math.max(now, due);
        t = completeReset(device, { nowMs: now, rng });
      }
    }
    if (!t) continue;
    const before = device.state;
    device = { identity: device.identity, state: t.state };
    if (t.outcome) outcomes.push(t.outcome);

    // Invariants, after every step.
    if (UNBOOTABLE.includes(before.boot)) expect(device.state.boot).toBe(before.boot); // no way back
    if (t.outcome?.status === 'failed' && t.outcome.reason.code === 'powerLostDuringWipe') {
      // W-PROT-2: the rollback restores the state before the wipe.
      expect({ ...device.state, power: 'on' }).toEqual({
        ...before,
        power: 'on',
        nvram: { ...before.nvram, resetJob: null },
      });
    }
    const job = before.nvram.resetJob;
    if (t.outcome?.status === 'done' && job?.variant === 'full') expectFactoryState(device.state);
    if (t.outcome?.status === 'done' && step.kind === 'command' && step.command.type === 'retire') {
      expect(personalData(device.state)).toEqual(personalData(before));
    }
    // W-PROT-1: a protected wipe is never dropped by a power cut.
    if (job?.protectedWipe && step.kind === 'powerCut')
      expect(device.state.nvram.resetJob?.commandId).toBe(job.commandId);
  }
  return { device, outcomes };
}

describe('properties of the device model', () => {
  it('W-1: a completed full wipe leaves no user data, account or MDM policy — whatever happened before', () => {
    let checked = 0; // runs that reached a completed wipe: the property must have been tested at all
    fc.assert(
      fc.property(
        deviceArb(),
        fc.array(stepArb, { maxLength: 12 }),
        fc.boolean(),
        (device, steps, protectedWipe) => {
          const { device: afterSteps } = drive(device, steps);
          const s = afterSteps.state;
          if (s.power !== 'on' || UNBOOTABLE.includes(s.boot) || !s.management.enrolled || s.nvram.resetJob)
            return;
          const { device: end, outcomes } = drive(afterSteps, [
            {
              kind: 'command',
              command: {
                id: 'final',
                type: 'wipe',
                // A protected wipe only where it exists, so the final wipe is not simply refused.
                options: { useProtectedWipe: protectedWipe && device.identity.platform === 'windows10' },
              },
            },
            { kind: 'finishReset' },
          ]);
          if (outcomes.at(-1)?.status === 'done' && outcomes.at(-1)?.commandId === 'final') {
            expectFactoryState(end.state);
            checked++;
          }
        },
      ),
      { numRuns: RUNS },
    );
    // Most runs end in a completed wipe (refusals and faults aside); none would mean nothing was checked.
    expect(checked, 'runs whose final wipe completed').toBeGreaterThan(RUNS / 10);
  });

  it('R-3: a retire never removes personal data', () => {
    fc.assert(
      fc.property(deviceArb(), (device) => {
        const t = runCommand(device, { id: 'r', type: 'retire' }, { nowMs: 0, rng: createRng(1) });
        expect(personalData(t.state)).toEqual(personalData(device.state));
      }),
      { numRuns: RUNS },
    );
  });

  it('W-KEEP: a keep-enrollment wipe keeps exactly the kept list and removes exactly the not-kept list', () => {
    fc.assert(
      fc.property(deviceArb(['windows10']), (device) => {
        fc.pre((device.identity.osBuild ?? 0) >= 16299 && device.state.recoveryEnvironmentHealthy);
        const before = device.state;
        const started = runCommand(
          device,
          { id: 'k', type: 'wipe', options: { keepUserData: true } },
          { nowMs: 0, rng: createRng(2) },
        );
        const due = resetDueAtMs(started.state)!;
        const after = completeReset(
          { ...device, state: started.state },
          { nowMs: due, rng: createRng(2) },
        ).state;
        const oem = (s: DeviceState) => s.apps.filter((a) => a.kind === 'storeOem' || a.kind === 'win32Oem');
        // Kept: W-KEEP-1..7
        expect(after.accounts).toEqual(before.accounts);
        expect([after.domainJoined, after.azureAd]).toEqual([before.domainJoined, before.azureAd]);
        expect(after.management.enrolled).toBe(true);
        expect(oem(after)).toEqual(oem(before));
        expect(after.files).toEqual(before.files.filter((f) => f.area === 'outsideProfile'));
        expect(after.autologonUser).toBe(before.autologonUser);
        // Not kept: W-KEEP-8..10
        expect(after.files.filter((f) => f.area === 'userFolders')).toEqual([]);
        expect(after.apps.filter((a) => a.kind === 'storeUser' || a.kind === 'win32User')).toEqual([]);
        expect(after.settings.filter((s) => s.value !== s.defaultValue)).toEqual([]);
        expect(after.management.policies).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });

  it('W-PROT-2: an interrupted unprotected reset leaves the state as it was', () => {
    fc.assert(
      fc.property(deviceArb(), wipeOptionsArb, (device, options) => {
        const unprotected = { ...options, useProtectedWipe: false };
        const started = runCommand(
          device,
          { id: 'w', type: 'wipe', options: unprotected },
          { nowMs: 0, rng: createRng(3) },
        );
        fc.pre(started.outcome?.status === 'inProgress');
        const off = powerOff({ ...device, state: started.state });
        if (device.state.conditions.rollbackFails) {
          expect(off.state.boot).toBe('unusable');
        } else {
          expect(off.state).toEqual({ ...device.state, power: 'off' });
          expect(off.outcome).toMatchObject({ status: 'failed', reason: { code: 'powerLostDuringWipe' } });
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('W-PROT-1: a protected wipe completes after any number of power cuts', () => {
    fc.assert(
      fc.property(deviceArb(['windows10']), fc.integer({ min: 0, max: 6 }), (device, cuts) => {
        fc.pre((device.identity.osBuild ?? 0) >= 15063 && device.state.recoveryEnvironmentHealthy);
        const steps: Step[] = [
          { kind: 'command', command: { id: 'p', type: 'wipe', options: { useProtectedWipe: true } } },
        ];
        for (let i = 0; i < cuts; i++) steps.push({ kind: 'powerCut' }, { kind: 'powerOn' });
        steps.push({ kind: 'finishReset' });
        const { device: end, outcomes } = drive(device, steps);
        const last = outcomes.at(-1);
        const c = device.state.conditions;
        if (c.corruptedInstallation || (c.bitLockerResetFails && device.state.bitLocker))
          expect(last?.status).toBe('unbootable');
        else {
          expect(last).toMatchObject({ status: 'done', commandId: 'p' });
          expectFactoryState(end.state);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('the same seed gives the same fleet', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 10 }),
        fc.constantFrom(...PLATFORM_IDS),
        fc.integer({ min: 1, max: 5 }),
        (seed, platform, count) => {
          const spec = { seed, cohorts: [{ platform, count }] };
          expect(generateFleet(spec)).toEqual(generateFleet(spec));
        },
      ),
      { numRuns: 50 },
    );
  });
});
