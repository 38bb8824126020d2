import { describe, expect, it } from 'vitest';
import type { Device } from '../../agent/model/commands.ts';
import { completeEnrollment } from '../../agent/model/enrollment.ts';
import { factsOf } from '../../agent/model/facts.ts';
import { applyPolicies, missingPolicies } from '../../agent/model/policies.ts';
import { runToCompletion } from '../../agent/model/run-to-completion.ts';
import { summarize } from '../../agent/model/summary.ts';
import type { AppItem, DeviceState, PolicyItem } from '../../sim/device-state.ts';
import type { PlatformId } from '../../sim/platforms/types.ts';
import { createRng } from '../../sim/prng.ts';
import { makeDevice, wipe } from '../helpers/devices.ts';

/**
 * The device's side of enrolling again (D-7, D-9), of receiving policies (W-5), of running a
 * command to its end, and the facts it reports: each asserted exactly on known states.
 */

const wiped = (platform: PlatformId): Device => {
  const device = makeDevice(platform);
  return { ...device, state: wipe(device).state };
};

describe('completeEnrollment (D-7, D-9): the device is managed again after a wipe', () => {
  it('an Apple device gets its management profile back and leaves setup', () => {
    const device = wiped('ios');
    expect(device.state.management).toMatchObject({ enrolled: false, managementProfile: false });
    const t = completeEnrollment(device);
    expect(t.events).toEqual([]);
    expect(t.state).toEqual({
      ...device.state,
      boot: 'normal',
      management: { ...device.state.management, enrolled: true, managementProfile: true },
    });
  });

  it.each(['androidDeviceAdmin', 'androidKnox'] as const)(
    '%s gets the device administrator privilege back, and no Apple profile',
    (platform) => {
      const device = wiped(platform);
      expect(device.state.management.deviceAdminPrivilege).toBe(false);
      const t = completeEnrollment(device);
      expect(t.state.management).toEqual({
        ...device.state.management,
        enrolled: true,
        managementProfile: false,
        deviceAdminPrivilege: true,
      });
    },
  );

  it('any other platform gains neither agent, and keeps what it still holds', () => {
    const device = wiped('windows10');
    const t = completeEnrollment(device);
    expect(t.state.management).toEqual({ ...device.state.management, enrolled: true });
    expect(t.state.management.managementProfile).toBe(false);
    expect(t.state.management.deviceAdminPrivilege).toBe(false);
    // A device that kept an agent (a retire re-enrolling, say) keeps it.
    const holding = {
      ...device,
      state: {
        ...device.state,
        management: { ...device.state.management, managementProfile: true, deviceAdminPrivilege: true },
      },
    };
    expect(completeEnrollment(holding).state.management).toMatchObject({
      managementProfile: true,
      deviceAdminPrivilege: true,
    });
  });

  it('a device already past setup stays in normal boot', () => {
    const device = makeDevice('ios');
    expect(completeEnrollment(device).state.boot).toBe('normal');
  });
});

const POLICIES: PolicyItem[] = [
  {
    id: 'p-camera',
    name: 'Camera',
    settings: [
      { key: 'camera.allowed', value: 'false' },
      { key: 'pin.minLength', value: '6' },
    ],
  },
  { id: 'p-empty', name: 'Nothing to set', settings: [] },
];

describe('applyPolicies (W-5): a managed device enforces what it is sent', () => {
  const device = makeDevice('windows10', { osVersion: '22H2' });
  const base: DeviceState = {
    ...device.state,
    settings: [
      { key: 'camera.allowed', value: 'true', defaultValue: 'true', enforced: false },
      { key: 'wallpaper', value: 'blue', defaultValue: 'grey', enforced: false },
    ],
    management: { ...device.state.management, enrolled: true, policies: [] },
  };

  it('sets and enforces each policy’s settings, adds the ones it lacks, and holds the policies', () => {
    const t = applyPolicies({ ...device, state: base }, POLICIES);
    expect(t.state).toEqual({
      ...base,
      settings: [
        { key: 'camera.allowed', value: 'false', defaultValue: 'true', enforced: true },
        { key: 'wallpaper', value: 'blue', defaultValue: 'grey', enforced: false },
        { key: 'pin.minLength', value: '6', defaultValue: '6', enforced: true },
      ],
      management: { ...base.management, policies: POLICIES },
    });
    expect(t.events).toEqual([
      { type: 'policiesApplied', policyIds: ['p-camera', 'p-empty'], specId: 'W-5' },
    ]);
  });

  it('leaves the state it was given and the policies it was sent untouched (copies them)', () => {
    const settingsBefore = structuredClone(base.settings);
    const t = applyPolicies({ ...device, state: base }, POLICIES);
    expect(base.settings).toEqual(settingsBefore);
    t.state.management.policies[0]!.settings[0]!.value = 'changed';
    expect(POLICIES[0]!.settings[0]!.value).toBe('false');
  });

  it('an unmanaged device takes none', () => {
    const unmanaged = { ...device, state: { ...base, management: { ...base.management, enrolled: false } } };
    expect(applyPolicies(unmanaged, POLICIES)).toEqual({ state: unmanaged.state, events: [] });
  });

  it('missingPolicies: true only when an assigned policy is not held', () => {
    const held = { ...base, management: { ...base.management, policies: POLICIES } };
    expect(missingPolicies(held, ['p-camera'])).toBe(false);
    expect(missingPolicies(held, ['p-camera', 'p-empty'])).toBe(false);
    expect(missingPolicies(held, ['p-camera', 'p-new'])).toBe(true);
    expect(missingPolicies(base, ['p-camera'])).toBe(true);
    expect(missingPolicies(base, [])).toBe(false);
  });
});

describe('runToCompletion', () => {
  it('keeps the events of the reset’s start and of its completion, in order', () => {
    const device = makeDevice('ios');
    const t = runToCompletion(
      device,
      { id: 'w', type: 'wipe', options: {} },
      { nowMs: 0, rng: createRng('r') },
    );
    expect(t.events.map((e) => e.type)).toEqual(['resetStarted', 'resetCompleted']);
    expect(t.outcome).toEqual({ status: 'done', commandId: 'w', rules: ['W-1'] });
  });
});

/** A state with counted items: two installed apps of one kind and one of another, one uninstalled. */
function counted(): DeviceState {
  const state = makeDevice('androidKnox').state;
  const app = (
    id: string,
    kind: AppItem['kind'],
    installed: boolean,
    statuses: AppItem['data'][number]['status'][],
  ) => ({
    id,
    name: id,
    kind,
    installed,
    keepOnUnenroll: false,
    data: statuses.map((status) => ({ location: 'appLocal' as const, status, sizeBytes: 1 })),
  });
  return {
    ...state,
    apps: [
      app('a', 'webLink', true, ['present', 'present']),
      app('b', 'lobManaged', true, ['present', 'encryptedUnusable']),
      app('c', 'webLink', true, []),
      app('d', 'personal', false, ['keysRevoked']),
    ],
    certificates: [
      { id: 'c1', subject: 's', source: 'intune', installed: true, revoked: false },
      { id: 'c2', subject: 's', source: 'intune', installed: false, revoked: true },
      { id: 'c3', subject: 's', source: 'user', installed: true, revoked: true },
    ],
    networkProfiles: [{ id: 'n', kind: 'wifi', name: 'n', source: 'user' }],
    emailProfiles: [],
    mail: { cachedMessages: 4, efsProtectedMessages: 3 },
    settings: [
      { key: 'x', value: '1', defaultValue: '0', enforced: true },
      { key: 'y', value: '1', defaultValue: '0', enforced: false },
    ],
    management: { ...state.management, enrolled: true, policies: POLICIES },
    azureAd: { join: 'registered', joinedDuringSetup: false },
    accounts: [{ id: 'u', name: 'u', kind: 'google', hasProfile: true }],
    files: [],
    workProfile: null,
    boot: 'normal',
  };
}

describe('what a device reports', () => {
  it('factsOf: the facts of its check-ins, counting installed apps and certificates only', () => {
    const state = counted();
    expect(factsOf(state)).toEqual({
      enrolled: true,
      boot: 'normal',
      policyIds: ['p-camera', 'p-empty'],
      apps: 3,
      appKinds: ['lobManaged', 'webLink'],
      certificatesInstalled: 2,
      azureAd: 'registered',
      accounts: 1,
      userFiles: 0,
      workProfile: false,
    });
    const withProfile = {
      ...state,
      workProfile: structuredClone(makeDevice('androidWorkProfile').state.workProfile),
    };
    expect(withProfile.workProfile).not.toBeNull();
    expect(factsOf(withProfile).workProfile).toBe(true);
  });

  it('summarize: the one-line digest of the demo and reports', () => {
    const withProfile = { ...counted(), workProfile: makeDevice('androidWorkProfile').state.workProfile };
    expect(summarize(withProfile).workProfile).toBe(true);
    expect(summarize(counted())).toEqual({
      apps: 3,
      appDataPresent: 3,
      appDataUnusable: 2,
      certificatesInstalled: 2,
      certificatesRevoked: 2,
      networkProfiles: 1,
      emailProfiles: 0,
      cachedMessages: 7,
      settingsEnforced: 1,
      policies: 2,
      enrolled: true,
      azureAd: 'registered',
      accounts: 1,
      userFiles: 0,
      workProfile: false,
      boot: 'normal',
    });
  });
});
