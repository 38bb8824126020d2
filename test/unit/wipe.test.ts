import { describe, expect, it } from 'vitest';
import { powerOff, powerOn } from '../../agent/model/actions.ts';
import { PLATFORM_IDS } from '../../sim/platforms/types.ts';
import { createRng } from '../../sim/prng.ts';
import { expectDone, makeDevice, wipe } from '../helpers/devices.ts';

/** Platforms whose default enrollment allows a plain wipe (W-3 and W-8 are tested below). */
const WIPEABLE = PLATFORM_IDS.filter((p) => p !== 'androidWorkProfile');

describe('W-1: a wipe without keep options returns every wipeable platform to factory state', () => {
  it.each(WIPEABLE)(
    '%s: no user data, account, policy or managed state is left; the device is out of management',
    (platform) => {
      const device = makeDevice(platform, {
        enrollmentType: platform === 'ios' ? 'companyPortal' : undefined,
      });
      const before = device.state;
      const t = wipe(device);
      const s = t.state;
      expect(expectDone(t)).toEqual(['W-1']);
      expect(s.accounts).toEqual([]);
      expect(s.files).toEqual([]);
      expect(s.management).toEqual({
        enrolled: false,
        managementProfile: false,
        deviceAdminPrivilege: false,
        sideloadingKeys: false,
        policies: [],
      });
      expect(s.certificates.every((c) => !c.installed)).toBe(true);
      expect(s.networkProfiles).toEqual([]);
      expect(s.emailProfiles).toEqual([]);
      expect(s.mail).toEqual({ cachedMessages: 0, efsProtectedMessages: 0 });
      expect(s.outlook).toBeNull();
      expect(s.workProfile).toBeNull();
      expect(s.azureAd).toEqual({ join: 'none', joinedDuringSetup: false });
      expect(s.domainJoined).toBe(false);
      expect(s.autologonUser).toBeNull();
      // The OS returns to its default settings.
      expect(s.settings.every((x) => x.value === x.defaultValue && !x.enforced)).toBe(true);
      expect(s.settings.map((x) => x.key)).toEqual(before.settings.map((x) => x.key));
      expect(s.boot).toBe('setup');
      // Only OEM apps from the factory image come back, with no data.
      expect(
        s.apps.every((a) => (a.kind === 'storeOem' || a.kind === 'win32Oem') && a.data.length === 0),
      ).toBe(true);
    },
  );

  it('W-1 on Windows: OEM apps return from the factory image, empty; everything else installed is gone', () => {
    const device = makeDevice('windows10');
    const oem = device.state.apps.filter((a) => a.kind === 'storeOem' || a.kind === 'win32Oem');
    const s = wipe(device).state;
    expect(s.apps.map((a) => a.id)).toEqual(oem.map((a) => a.id));
  });

  it('W-1: no OEM app keeps any of its data, wherever it kept it (EFS-protected files on Windows 8.1 included)', () => {
    const device = makeDevice('windows81', {
      overrides: { apps: [{ kind: 'storeOem', name: 'Vendor Tool', data: ['appLocal', 'efs'] }] },
    });
    const oem = device.state.apps.filter((a) => a.kind === 'storeOem' || a.kind === 'win32Oem');
    expect(oem.flatMap((a) => a.data.map((d) => d.location))).toContain('efs');
    const s = wipe(device).state;
    expect(s.apps.map((a) => a.id)).toEqual(oem.map((a) => a.id));
    expect(s.apps.flatMap((a) => a.data)).toEqual([]);
  });
});

describe('W-3: no wipe for iOS/iPadOS User Enrollment', () => {
  it('refuses with wipeNotSupportedForUserEnrollment and changes nothing', () => {
    const device = makeDevice('ios', { enrollmentType: 'appleUserEnrollment' });
    const t = wipe(device);
    expect(t.outcome).toMatchObject({
      status: 'notSupported',
      reason: { code: 'wipeNotSupportedForUserEnrollment', specId: 'W-3' },
    });
    expect(t.state).toBe(device.state);
  });
  it.each(['companyPortal', 'automatedDeviceEnrollment'] as const)(
    'wipes an iOS device enrolled with %s',
    (enrollmentType) => {
      expect(expectDone(wipe(makeDevice('ios', { enrollmentType })))).toEqual(['W-1']);
    },
  );
});

describe('W-8: no wipe for Android Enterprise personally-owned work profile', () => {
  it('refuses with wipeNotSupportedForWorkProfile and changes nothing', () => {
    const device = makeDevice('androidWorkProfile');
    const t = wipe(device);
    expect(t.outcome).toMatchObject({
      status: 'notSupported',
      reason: { code: 'wipeNotSupportedForWorkProfile', specId: 'W-8' },
    });
    expect(t.state).toBe(device.state);
  });
});

describe('W-9: Android Enterprise dedicated devices can be wiped (never retired)', () => {
  it('wipes a dedicated device to factory state', () => {
    const t = wipe(makeDevice('androidDedicated'));
    expect(expectDone(t)).toEqual(['W-1']);
    expect(t.state.apps).toEqual([]);
    expect(t.state.management.enrolled).toBe(false);
  });
});

describe('W-6: data removed by a wipe cannot be recovered', () => {
  it.each(['ios', 'androidKnox', 'windows10'] as const)(
    '%s: power cycles after a completed wipe bring nothing back',
    (platform) => {
      const device = makeDevice(platform, {
        enrollmentType: platform === 'ios' ? 'companyPortal' : undefined,
      });
      const wiped = wipe(device).state;
      const off = powerOff({ identity: device.identity, state: wiped });
      expect(off.outcome).toBeUndefined();
      const on = powerOn({ identity: device.identity, state: off.state }, { nowMs: 1, rng: createRng(1) });
      expect(on.outcome).toBeUndefined();
      expect({ ...on.state, power: 'on' }).toEqual({ ...wiped, power: 'on' });
      expect(on.state.nvram.resetJob).toBeNull();
    },
  );
});

describe('wipe options that are not about enrollment', () => {
  it('macOsUnlockCode: recorded in NVRAM with a macOS wipe', () => {
    const t = wipe(makeDevice('macos'), { macOsUnlockCode: '123456' });
    expect(expectDone(t)).toEqual(['W-1']);
    expect(t.state.nvram.firmwareUnlockCode).toBe('123456');
  });
  it.each(['12345', '1234567', 'abcdef', ''])(
    'macOsUnlockCode "%s" is refused on macOS (six digits)',
    (code) => {
      const t = wipe(makeDevice('macos'), { macOsUnlockCode: code });
      expect(t.outcome).toMatchObject({ status: 'notSupported', reason: { code: 'invalidMacOsUnlockCode' } });
    },
  );
  it('macOsUnlockCode is ignored elsewhere', () => {
    const t = wipe(makeDevice('androidKnox'), { macOsUnlockCode: 'whatever' });
    expect(expectDone(t)).toEqual(['W-1']);
    expect(t.state.nvram.firmwareUnlockCode).toBeNull();
  });
  it.each([
    [false, false],
    [true, true],
    [undefined, true],
  ])('persistEsimDataPlan %s on an iOS device with an eSIM keeps the plan: %s', (persist, kept) => {
    const device = makeDevice('ios', { enrollmentType: 'companyPortal', overrides: { esimDataPlan: true } });
    const t = wipe(device, persist === undefined ? {} : { persistEsimDataPlan: persist });
    expect(t.state.esimDataPlan).toBe(kept);
  });
  it('persistEsimDataPlan is ignored on a device without an eSIM and on other platforms', () => {
    const noEsim = wipe(
      makeDevice('ios', { enrollmentType: 'companyPortal', overrides: { esimDataPlan: null } }),
      {
        persistEsimDataPlan: false,
      },
    );
    expect(noEsim.state.esimDataPlan).toBeNull();
    expect(expectDone(wipe(makeDevice('androidFullyManaged'), { persistEsimDataPlan: false }))).toEqual([
      'W-1',
    ]);
  });
});
