import { describe, expect, it } from 'vitest';
import { PLATFORM_IDS } from '../../sim/platforms/types.ts';
import { app, expectDone, makeDevice, wipe } from '../helpers/devices.ts';

/** W-2 and W-KEEP-1..10: "keep enrollment state and user account" on Windows 10 1709+. */
describe.each(['1709', '22H2'] as const)('wipe with keepUserData on Windows 10 %s', (osVersion) => {
  const device = makeDevice('windows10', { osVersion, enrollmentType: 'hybridAzureAdJoin', overrides: {} });
  const before = { ...device.state, autologonUser: 'jo@contoso.com' };
  const t = wipe({ identity: device.identity, state: before }, { keepUserData: true });
  const after = t.state;

  it('completes done and lists every keep rule', () => {
    expect(expectDone(t)).toEqual([
      'W-KEEP-1',
      'W-KEEP-2',
      'W-KEEP-3',
      'W-KEEP-4',
      'W-KEEP-5',
      'W-KEEP-6',
      'W-KEEP-7',
      'W-KEEP-8',
      'W-KEEP-9',
      'W-KEEP-10',
      'W-2',
    ]);
  });
  it('W-KEEP-1: user accounts associated with the device are kept', () => {
    expect(after.accounts.map((a) => a.id)).toEqual(before.accounts.map((a) => a.id));
  });
  it('W-KEEP-2: domain join and Azure AD join are kept', () => {
    expect(before.domainJoined).toBe(true);
    expect(after.domainJoined).toBe(true);
    expect(after.azureAd).toEqual(before.azureAd);
  });
  it('W-KEEP-3 and W-2: MDM enrollment is kept; the device stays managed; all MDM policies are removed', () => {
    expect(after.management.enrolled).toBe(true);
    expect(before.management.policies.length).toBeGreaterThan(0);
    expect(after.management.policies).toEqual([]);
  });
  it('W-KEEP-4: OEM-installed Store and Win32 apps are kept', () => {
    expect(app(after, 'fx-storeOem')).toEqual(app(before, 'fx-storeOem'));
    expect(app(after, 'fx-win32Oem')).toEqual(app(before, 'fx-win32Oem'));
  });
  it('W-KEEP-5: the user profile is kept', () => {
    expect(after.accounts.map((a) => a.hasProfile)).toEqual(before.accounts.map((a) => a.hasProfile));
    expect(after.accounts.every((a) => a.hasProfile)).toBe(true);
  });
  it('W-KEEP-6: user data outside the profile is kept', () => {
    const outside = before.files.filter((f) => f.area === 'outsideProfile');
    expect(outside.length).toBeGreaterThan(0);
    expect(after.files).toEqual(outside);
  });
  it('W-KEEP-7: the autologon user is kept', () => {
    expect(after.autologonUser).toBe('jo@contoso.com');
  });
  it('W-KEEP-8: user files are not kept', () => {
    expect(before.files.some((f) => f.area === 'userFolders')).toBe(true);
    expect(after.files.filter((f) => f.area === 'userFolders')).toEqual([]);
  });
  it('W-KEEP-9: user-installed Store and Win32 apps are not kept', () => {
    expect(after.apps.filter((a) => a.kind === 'storeUser' || a.kind === 'win32User')).toEqual([]);
  });
  it('W-KEEP-10 and W-2: non-default device settings return to defaults', () => {
    expect(before.settings.some((s) => s.value !== s.defaultValue)).toBe(true);
    expect(after.settings.every((s) => s.value === s.defaultValue && !s.enforced)).toBe(true);
  });
  it('W-2: the OS returns to its default state: Intune-installed apps and profiles go, the device boots to the kept user', () => {
    expect(after.apps.map((a) => a.kind).sort()).toEqual(
      before.apps
        .filter((a) => a.kind === 'storeOem' || a.kind === 'win32Oem')
        .map((a) => a.kind)
        .sort(),
    );
    expect(after.certificates.filter((c) => c.source === 'intune').every((c) => !c.installed)).toBe(true);
    expect(after.networkProfiles).toEqual([]);
    // The user's own certificates and mail accounts live in the kept profile (W-KEEP-5).
    expect(after.certificates.filter((c) => c.source === 'user')).toEqual(
      before.certificates.filter((c) => c.source === 'user'),
    );
    expect(after.emailProfiles).toEqual(before.emailProfiles.filter((p) => p.source === 'user'));
    expect(after.boot).toBe('normal');
  });
});

describe('W-4: keepUserData only on Windows 10 1709 and later', () => {
  it.each(['1607', '1703'] as const)('refused on Windows 10 %s', (osVersion) => {
    const device = makeDevice('windows10', { osVersion });
    const t = wipe(device, { keepUserData: true });
    expect(t.outcome).toMatchObject({
      status: 'notSupported',
      reason: { code: 'keepUserDataNotSupported', specId: 'W-4' },
    });
    expect(t.state).toBe(device.state);
  });
  it.each(PLATFORM_IDS.filter((p) => p !== 'windows10'))('refused on %s', (platform) => {
    const t = wipe(
      makeDevice(platform, { enrollmentType: platform === 'ios' ? 'companyPortal' : undefined }),
      { keepUserData: true },
    );
    expect(t.outcome?.status).toBe('notSupported');
    // W-8 answers first for the work profile, whose plain wipe is already refused.
    const expected =
      platform === 'androidWorkProfile' ? 'wipeNotSupportedForWorkProfile' : 'keepUserDataNotSupported';
    expect(t.outcome).toMatchObject({ reason: { code: expected } });
  });
  it('keepUserData with keepEnrollmentData behaves as keepUserData (W-2)', () => {
    const device = makeDevice('windows10', { osVersion: '22H2' });
    const both = wipe(device, { keepUserData: true, keepEnrollmentData: true });
    const keep = wipe(device, { keepUserData: true });
    expect(both.state).toEqual(keep.state);
  });
});

describe('keepEnrollmentData alone [design]: as W-1, but MDM enrollment stays', () => {
  it('Windows 10: everything W-1 removes is removed; the device stays enrolled', () => {
    const device = makeDevice('windows10', { osVersion: '1703' });
    const full = wipe(device).state;
    const t = wipe(device, { keepEnrollmentData: true });
    expect(expectDone(t)).toEqual(['W-1']);
    expect(t.state.management.enrolled).toBe(true);
    expect({ ...t.state, management: full.management }).toEqual(full);
  });
  it.each(PLATFORM_IDS.filter((p) => p !== 'windows10' && p !== 'androidWorkProfile'))(
    'refused on %s',
    (platform) => {
      const t = wipe(
        makeDevice(platform, { enrollmentType: platform === 'ios' ? 'companyPortal' : undefined }),
        {
          keepEnrollmentData: true,
        },
      );
      expect(t.outcome).toMatchObject({
        status: 'notSupported',
        reason: { code: 'keepEnrollmentDataNotSupported' },
      });
    },
  );
});
