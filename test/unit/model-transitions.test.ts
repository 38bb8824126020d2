import { describe, expect, it } from 'vitest';
import {
  completeReset,
  powerOff,
  powerOn,
  requestOf,
  runCommand,
  setNetwork,
} from '../../agent/model/actions.ts';
import type { Command, Device } from '../../agent/model/commands.ts';
import type { DeviceState } from '../../sim/device-state.ts';
import { createRng } from '../../sim/prng.ts';
import { refusal } from '../../sim/reasons.ts';
import { makeDevice } from '../helpers/devices.ts';

/**
 * Every transition of the device model, exactly: the state it leaves, the outcome it reports and
 * the events the runtime turns into the device's log (what an admin sees happen on the device).
 */

const env = (nowMs = 0) => ({ nowMs, rng: createRng('transitions') });
const WIPE: Command = { id: 'wipe-t', type: 'wipe', options: {} };
const RETIRE: Command = { id: 'retire-t', type: 'retire' };

const with_ = (device: Device, patch: Partial<DeviceState>): Device => ({
  ...device,
  state: { ...device.state, ...patch },
});
const conditions = (device: Device, patch: Partial<DeviceState['conditions']>): Device =>
  with_(device, { conditions: { ...device.state.conditions, ...patch } });

/** A device with a reset running (started at 0), and when it is due. */
function running(device: Device, command: Command = WIPE) {
  const t = runCommand(device, command, env());
  if (t.outcome?.status !== 'inProgress') throw new Error(`no reset started: ${JSON.stringify(t.outcome)}`);
  return { device: { ...device, state: t.state }, due: t.outcome.completesAtMs };
}

const ios = makeDevice('ios');
const win10 = makeDevice('windows10', { osVersion: '22H2' });

describe('requestOf: the eligibility request a command makes', () => {
  it('carries Fresh Start’s keepUserData and a wipe’s options; other actions are their type', () => {
    expect(requestOf({ id: 'f', type: 'freshStart', keepUserData: true })).toEqual({
      action: 'freshStart',
      keepUserData: true,
    });
    expect(requestOf({ id: 'w', type: 'wipe', options: { keepUserData: true } })).toEqual({
      action: 'wipe',
      options: { keepUserData: true },
    });
    expect(requestOf(RETIRE)).toEqual({ action: 'retire' });
  });
});

describe('runCommand', () => {
  it('refuses to run on a device that is off or cannot boot (the runtime never delivers there)', () => {
    expect(() => runCommand(with_(ios, { power: 'off' }), RETIRE, env())).toThrow(
      /cannot receive commands \(power off, boot normal\)/,
    );
    expect(() => runCommand(with_(ios, { boot: 'unusable' }), RETIRE, env())).toThrow(
      /cannot receive commands \(power on, boot unusable\)/,
    );
  });

  it('applies a retire at once and logs which rules applied', () => {
    const t = runCommand(ios, RETIRE, env());
    const rules = t.outcome?.status === 'done' ? t.outcome.rules : [];
    expect(rules[0]).toBe('R-IOS-1');
    expect(t.events).toEqual([{ type: 'commandApplied', commandId: 'retire-t', command: 'retire', rules }]);
  });

  it('refuses a command while a reset runs: state unchanged, deviceBusy logged', () => {
    const { device } = running(ios);
    const t = runCommand(device, RETIRE, env(5));
    const reason = refusal('deviceBusy');
    expect(t.state).toBe(device.state);
    expect(t.outcome).toEqual({ status: 'failed', commandId: 'retire-t', reason });
    expect(t.events).toEqual([{ type: 'commandRefused', commandId: 'retire-t', reason }]);
  });

  it('[design] a Windows reset without a healthy recovery environment fails before it starts', () => {
    const device = with_(win10, { recoveryEnvironmentHealthy: false });
    const t = runCommand(device, WIPE, env());
    const reason = refusal('recoveryEnvironmentUnavailable');
    expect(t.state).toBe(device.state);
    expect(t.outcome).toEqual({ status: 'failed', commandId: 'wipe-t', reason });
    expect(t.events).toEqual([{ type: 'resetFailed', commandId: 'wipe-t', reason }]);
  });

  it('the recovery environment matters to Windows alone: an iPhone’s wipe starts', () => {
    const t = runCommand(with_(ios, { recoveryEnvironmentHealthy: false }), WIPE, env());
    expect(t.outcome?.status).toBe('inProgress');
  });

  it('keeps a macOS unlock code for the firmware, and no other platform’s', () => {
    const code = { id: 'w', type: 'wipe', options: { macOsUnlockCode: '123456' } } as const;
    const mac = makeDevice('macos');
    expect(running(mac, code).device.state.nvram.resetJob?.macOsUnlockCode).toBe('123456');
    expect(running(mac).device.state.nvram.resetJob?.macOsUnlockCode).toBeNull();
    expect(
      running(makeDevice('androidDeviceAdmin'), code).device.state.nvram.resetJob?.macOsUnlockCode,
    ).toBeNull();
  });
});

describe('completeReset', () => {
  it('logs the completed reset with the rules that applied, and clears the job', () => {
    const { device, due } = running(ios);
    const t = completeReset(device, env(due));
    expect(t.state.nvram.resetJob).toBeNull();
    expect(t.outcome).toEqual({ status: 'done', commandId: 'wipe-t', rules: ['W-1'] });
    expect(t.events).toEqual([{ type: 'resetCompleted', commandId: 'wipe-t', rules: ['W-1'] }]);
  });

  it('throws when no reset is due: none running, or the device is off', () => {
    expect(() => completeReset(ios, env(1e9))).toThrow(/no reset due on .* at 1000000000/);
    const protectedWipe: Command = { id: 'p', type: 'wipe', options: { useProtectedWipe: true } };
    const { device, due } = running(win10, protectedWipe);
    const off = powerOff(device);
    expect(() => completeReset({ ...device, state: off.state }, env(due))).toThrow(/no reset due/);
  });

  it('W-PROT-3: a failing protected reset logs the boot failure with its rule', () => {
    const protectedWipe: Command = { id: 'p', type: 'wipe', options: { useProtectedWipe: true } };
    const broken = conditions(win10, { corruptedInstallation: true });
    const { device, due } = running(broken, protectedWipe);
    const t = completeReset(device, env(due));
    expect(t.state.boot).toBe('recoveryEnvironment');
    expect(t.outcome).toEqual({
      status: 'unbootable',
      commandId: 'p',
      boot: 'recoveryEnvironment',
      specId: 'W-PROT-3',
    });
    expect(t.events).toEqual([{ type: 'bootFailed', boot: 'recoveryEnvironment', specId: 'W-PROT-3' }]);
  });
});

describe('power', () => {
  it('turning off a device that is off, or on one that is on, changes nothing and logs nothing', () => {
    const off = with_(ios, { power: 'off' });
    expect(powerOff(off)).toEqual({ state: off.state, events: [] });
    expect(powerOn(ios, env())).toEqual({ state: ios.state, events: [] });
  });

  it('logs the power change of an idle device', () => {
    const off = powerOff(ios);
    expect(off).toEqual({
      state: { ...ios.state, power: 'off' },
      events: [{ type: 'powerChanged', power: 'off' }],
    });
    const on = powerOn({ ...ios, state: off.state }, env());
    expect(on).toEqual({ state: ios.state, events: [{ type: 'powerChanged', power: 'on' }] });
  });

  it('W-PROT-2: power lost during an unprotected wipe rolls it back and logs so', () => {
    const { device } = running(ios);
    const t = powerOff(device);
    expect(t.state).toEqual({ ...ios.state, power: 'off' });
    expect(t.outcome).toEqual({
      status: 'failed',
      commandId: 'wipe-t',
      reason: refusal('powerLostDuringWipe'),
    });
    expect(t.events).toEqual([
      { type: 'powerChanged', power: 'off' },
      { type: 'resetRolledBack', commandId: 'wipe-t' },
    ]);
  });

  it('W-PROT-2: when the rollback fails the device is unusable, logged after the power change', () => {
    const { device } = running(conditions(ios, { rollbackFails: true }));
    const t = powerOff(device);
    expect(t.state.boot).toBe('unusable');
    expect(t.events).toEqual([
      { type: 'powerChanged', power: 'off' },
      { type: 'bootFailed', boot: 'unusable', specId: 'W-PROT-2' },
    ]);
  });

  it.each([
    ['unusable', 'W-PROT-2'],
    ['recoveryEnvironment', 'W-PROT-3'],
    ['needsBootableMedia', 'W-PROT-3'],
  ] as const)('a device left %s fails to boot at power-on (%s)', (boot, specId) => {
    const t = powerOn(with_(win10, { power: 'off', boot }), env());
    expect(t.state.power).toBe('on');
    expect(t.outcome).toBeUndefined();
    expect(t.events).toEqual([
      { type: 'powerChanged', power: 'on' },
      { type: 'bootFailed', boot, specId },
    ]);
  });
});

describe('setNetwork', () => {
  it('changes the network and logs it; setting the same network does nothing', () => {
    expect(setNetwork(ios, 'offline')).toEqual({
      state: { ...ios.state, network: 'offline' },
      events: [{ type: 'networkChanged', network: 'offline' }],
    });
    const offline = with_(ios, { network: 'offline' });
    expect(setNetwork(offline, 'offline')).toEqual({ state: offline.state, events: [] });
  });
});
