import { describe, expect, it } from 'vitest';
import { completeReset, powerOff, powerOn, resetDueAtMs, runCommand } from '../../agent/model/actions.ts';
import type { Command, Device } from '../../agent/model/commands.ts';
import { PLATFORM_IDS } from '../../sim/platforms/types.ts';
import { createRng } from '../../sim/prng.ts';
import { makeDevice, wipe } from '../helpers/devices.ts';

const rng = () => createRng('protected');

function start(device: Device, options: { useProtectedWipe?: boolean } = {}, nowMs = 0) {
  const command: Command = { id: 'wipe-p', type: 'wipe', options };
  const t = runCommand(device, command, { nowMs, rng: rng() });
  if (t.outcome?.status !== 'inProgress')
    throw new Error(`expected the wipe to start, got ${JSON.stringify(t.outcome)}`);
  return { device: { ...device, state: t.state }, completesAtMs: t.outcome.completesAtMs };
}

describe('W-PROT-1: a protected wipe cannot be circumvented by turning the device off', () => {
  const device = makeDevice('windows10', { osVersion: '22H2' });

  it('survives a power cut in NVRAM, resumes at power-on and completes as a full wipe', () => {
    const running = start(device, { useProtectedWipe: true });
    const off = powerOff(running.device);
    expect(off.outcome).toBeUndefined(); // no failure: the wipe is still owed
    expect(off.state.power).toBe('off');
    expect(off.state.nvram.resetJob).toMatchObject({ commandId: 'wipe-p', protectedWipe: true, attempts: 1 });
    expect(resetDueAtMs(off.state)).toBeNull(); // nothing runs while the power is off
    // The data is all still there while it is off, but nobody can use it: it is owed to the wipe.
    expect(off.state.accounts).toEqual(device.state.accounts);

    const on = powerOn({ ...device, state: off.state }, { nowMs: 10_000, rng: rng() });
    expect(on.outcome).toMatchObject({ status: 'inProgress', commandId: 'wipe-p' });
    expect(on.state.nvram.resetJob).toMatchObject({ attempts: 2, startedAtMs: 10_000 });
    expect(on.events.map((e) => e.type)).toEqual(['powerChanged', 'resetStarted']);

    const due = resetDueAtMs(on.state)!;
    const done = completeReset({ ...device, state: on.state }, { nowMs: due, rng: rng() });
    expect(done.outcome).toMatchObject({ status: 'done', rules: ['W-1'] });
    expect(done.state).toEqual(wipe(device).state);
  });

  it('keeps trying through any number of power cuts until the command completes', () => {
    let current = start(device, { useProtectedWipe: true }).device;
    for (let cut = 1; cut <= 5; cut++) {
      const off = powerOff(current);
      expect(off.outcome).toBeUndefined();
      const on = powerOn({ ...device, state: off.state }, { nowMs: cut * 1000, rng: rng() });
      expect(on.state.nvram.resetJob?.attempts).toBe(cut + 1);
      current = { ...device, state: on.state };
    }
    const done = completeReset(current, { nowMs: resetDueAtMs(current.state)!, rng: rng() });
    expect(done.outcome?.status).toBe('done');
    expect(done.state.accounts).toEqual([]);
    expect(done.state.management.enrolled).toBe(false);
  });

  it('does not complete before its modeled duration', () => {
    const running = start(device, { useProtectedWipe: true });
    expect(() => completeReset(running.device, { nowMs: running.completesAtMs - 1, rng: rng() })).toThrow(
      /no reset due/,
    );
  });
});

describe('W-PROT-2: an unprotected wipe interrupted by power loss rolls back and fails', () => {
  it.each(['windows10', 'ios', 'androidFullyManaged', 'macos'] as const)(
    '%s: state as before the wipe, action failed, still enrolled',
    (platform) => {
      const device = makeDevice(platform, {
        enrollmentType: platform === 'ios' ? 'companyPortal' : undefined,
      });
      const running = start(device);
      const off = powerOff(running.device);
      expect(off.outcome).toMatchObject({
        status: 'failed',
        commandId: 'wipe-p',
        reason: { code: 'powerLostDuringWipe', specId: 'W-PROT-2' },
      });
      expect(off.state).toEqual({ ...device.state, power: 'off' });
      expect(off.state.management.enrolled).toBe(true);
      const on = powerOn({ ...device, state: off.state }, { nowMs: 5000, rng: rng() });
      expect(on.outcome).toBeUndefined(); // nothing resumes
      expect(on.state).toEqual(device.state);
    },
  );

  it('with the "rollback fails" fault the device is left unusable and never reports', () => {
    const device = makeDevice('windows10', { overrides: { conditions: { rollbackFails: true } } });
    const off = powerOff(start(device).device);
    expect(off.outcome).toMatchObject({ status: 'unbootable', boot: 'unusable', specId: 'W-PROT-2' });
    const on = powerOn({ ...device, state: off.state }, { nowMs: 1, rng: rng() });
    expect(on.state.boot).toBe('unusable');
    expect(on.events).toContainEqual({ type: 'bootFailed', boot: 'unusable', specId: 'W-PROT-2' });
    expect(() =>
      runCommand({ ...device, state: on.state }, { id: 'x', type: 'sync' }, { nowMs: 2, rng: rng() }),
    ).toThrow(/cannot receive commands/);
  });
});

describe('W-PROT-3: in some configurations a protected wipe leaves the device unable to start', () => {
  it.each([
    ['corruptedInstallation', 'recoveryEnvironment'],
    ['bitLockerResetFails', 'needsBootableMedia'],
  ] as const)('%s: the reset fails and the device boots to %s, for good', (condition, boot) => {
    const device = makeDevice('windows10', {
      osVersion: '22H2',
      overrides: { bitLocker: condition === 'bitLockerResetFails', conditions: { [condition]: true } },
    });
    const running = start(device, { useProtectedWipe: true });
    const t = completeReset(running.device, { nowMs: running.completesAtMs, rng: rng() });
    expect(t.outcome).toMatchObject({ status: 'unbootable', boot, specId: 'W-PROT-3' });
    expect(t.state.boot).toBe(boot);
    expect(t.state.nvram.resetJob).toBeNull();
    // Power cycling does not help.
    const cycled = powerOn(
      { ...device, state: powerOff({ ...device, state: t.state }).state },
      { nowMs: 1, rng: rng() },
    );
    expect(cycled.state.boot).toBe(boot);
  });

  it('a BitLocker device without the failure condition wipes normally', () => {
    const device = makeDevice('windows10', { osVersion: '22H2', overrides: { bitLocker: true } });
    const running = start(device, { useProtectedWipe: true });
    const t = completeReset(running.device, { nowMs: running.completesAtMs, rng: rng() });
    expect(t.outcome).toMatchObject({ status: 'done', rules: ['W-1'] });
    expect(t.state.boot).toBe('setup');
  });

  it('the conditions do not affect an unprotected wipe', () => {
    const device = makeDevice('windows10', { overrides: { conditions: { corruptedInstallation: true } } });
    expect(wipe(device).outcome).toMatchObject({ status: 'done' });
  });
});

describe('W-PROT-4: protected wipe only on Windows 10 1703+, never with keep options', () => {
  it.each(['1703', '1709', '22H2'] as const)('allowed on Windows 10 %s', (osVersion) => {
    expect(wipe(makeDevice('windows10', { osVersion }), { useProtectedWipe: true }).outcome?.status).toBe(
      'done',
    );
  });
  it('refused on Windows 10 1607', () => {
    const t = wipe(makeDevice('windows10', { osVersion: '1607' }), { useProtectedWipe: true });
    expect(t.outcome).toMatchObject({
      status: 'notSupported',
      reason: { code: 'protectedWipeNotSupported', specId: 'W-PROT-4' },
    });
  });
  it.each(PLATFORM_IDS.filter((p) => p !== 'windows10' && p !== 'androidWorkProfile'))(
    'refused on %s',
    (platform) => {
      const t = wipe(
        makeDevice(platform, { enrollmentType: platform === 'ios' ? 'companyPortal' : undefined }),
        {
          useProtectedWipe: true,
        },
      );
      expect(t.outcome).toMatchObject({
        status: 'notSupported',
        reason: { code: 'protectedWipeNotSupported' },
      });
    },
  );
  it.each([{ keepUserData: true }, { keepEnrollmentData: true }])('refused together with %o', (keep) => {
    const t = wipe(makeDevice('windows10', { osVersion: '22H2' }), { useProtectedWipe: true, ...keep });
    expect(t.outcome).toMatchObject({
      status: 'notSupported',
      reason: { code: 'protectedWipeWithKeepEnrollment', specId: 'W-PROT-4' },
    });
  });
});

describe('resets need a healthy Windows Recovery Environment [design]', () => {
  it('a Windows wipe fails cleanly without one, changing nothing', () => {
    const device = makeDevice('windows10', { overrides: { recoveryEnvironmentHealthy: false } });
    const t = wipe(device, {});
    expect(t.outcome).toMatchObject({ status: 'failed', reason: { code: 'recoveryEnvironmentUnavailable' } });
    expect(t.state).toBe(device.state);
  });
});

describe('a device that is resetting', () => {
  it('fails any other command with deviceBusy', () => {
    const device = makeDevice('windows10');
    const running = start(device);
    const t = runCommand(running.device, { id: 'sync-1', type: 'sync' }, { nowMs: 1, rng: rng() });
    expect(t.outcome).toMatchObject({ status: 'failed', reason: { code: 'deviceBusy' } });
    expect(t.state).toBe(running.device.state);
  });
});

describe('regressions found in review', () => {
  it('W-PROT-3: bitLockerResetFails only bricks a device that is BitLocker-encrypted', () => {
    const device = makeDevice('windows10', {
      osVersion: '22H2',
      overrides: { bitLocker: false, conditions: { bitLockerResetFails: true } },
    });
    const running = start(device, { useProtectedWipe: true });
    const t = completeReset(running.device, { nowMs: running.completesAtMs, rng: rng() });
    expect(t.outcome).toMatchObject({ status: 'done', rules: ['W-1'] });
  });

  it('W-PROT-2: a rolled-back macOS wipe leaves no firmware unlock code; a completed one sets it', () => {
    const mac = makeDevice('macos');
    const started = runCommand(
      mac,
      { id: 'w', type: 'wipe', options: { macOsUnlockCode: '123456' } },
      { nowMs: 0, rng: rng() },
    );
    expect(started.state.nvram.firmwareUnlockCode).toBeNull();
    const off = powerOff({ ...mac, state: started.state });
    expect(off.state.nvram.firmwareUnlockCode).toBeNull();
    expect(off.state).toEqual({ ...mac.state, power: 'off' });
    const due = resetDueAtMs(started.state)!;
    expect(
      completeReset({ ...mac, state: started.state }, { nowMs: due, rng: rng() }).state.nvram
        .firmwareUnlockCode,
    ).toBe('123456');
  });
});
