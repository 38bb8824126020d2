import { describe, expect, it } from 'vitest';
import { app, cert, dataAt, expectDone, makeDevice, networkIds, retire } from '../helpers/devices.ts';

/** behavior-spec.md section 2, the device administrator and Knox table, column by column. */
describe.each(['androidDeviceAdmin', 'androidKnox'] as const)('retire on %s', (platform) => {
  const knox = platform === 'androidKnox';
  const device = makeDevice(platform);
  const before = device.state;
  const t = retire(device);
  const after = t.state;

  it('applies every R-DA rule and the general ones', () => {
    expect(expectDone(t)).toEqual([
      'R-DA-1',
      'R-DA-2',
      'R-DA-3',
      'R-DA-4',
      'R-DA-5',
      'R-DA-6',
      'R-DA-7',
      'R-DA-8',
      'R-DA-9',
      'R-DA-10',
      'R-DA-11',
      'R-1',
      'R-3',
    ]);
  });

  it('R-DA-1: web links are removed', () => {
    expect(before.apps.some((a) => a.kind === 'webLink')).toBe(true);
    expect(after.apps.filter((a) => a.kind === 'webLink')).toEqual([]);
  });

  it('R-DA-2: unmanaged Google Play apps and their data stay; MAM data in the app is removed; MAM data outside stays encrypted and unusable', () => {
    expect(app(after, 'fx-googlePlayUnmanaged')?.installed).toBe(true);
    expect(dataAt(after, 'fx-googlePlayUnmanaged', 'appLocal')?.status).toBe('present');
    expect(dataAt(after, 'fx-googlePlayUnmanaged', 'sdCard')?.status).toBe('present');
    expect(dataAt(after, 'fx-googlePlayUnmanaged', 'mamLocal')).toBeUndefined();
    expect(dataAt(after, 'fx-googlePlayUnmanaged', 'mamExternal')?.status).toBe('encryptedUnusable');
  });

  it(`R-DA-3: unmanaged line-of-business apps ${knox ? 'are uninstalled with their local data; SD card data stays' : 'and their data stay'}`, () => {
    if (knox) {
      const lob = app(after, 'fx-lobUnmanaged');
      expect(lob?.installed).toBe(false);
      expect(lob?.data.map((d) => [d.location, d.status])).toEqual([['sdCard', 'present']]);
    } else {
      expect(app(after, 'fx-lobUnmanaged')).toEqual(app(before, 'fx-lobUnmanaged'));
    }
  });

  it.each([
    ['R-DA-4', 'fx-googlePlayManaged'],
    ['R-DA-5', 'fx-lobManaged'],
  ])(
    '%s: managed app stays, its data is removed, MAM data outside stays encrypted and unusable',
    (_id, appId) => {
      const a = app(after, appId);
      expect(a?.installed).toBe(true);
      expect(dataAt(after, appId, 'appLocal')).toBeUndefined();
      expect(dataAt(after, appId, 'mamLocal')).toBeUndefined();
      expect(dataAt(after, appId, 'mamExternal')?.status).toBe('encryptedUnusable');
    },
  );

  it('R-DA-6: settings are no longer enforced', () => {
    expect(after.settings.every((s) => !s.enforced)).toBe(true);
    expect(after.settings.map((s) => s.value)).toEqual(before.settings.map((s) => s.value));
  });

  it('R-DA-7: Intune Wi-Fi and VPN profiles are removed', () => {
    expect(networkIds(after)).toEqual(
      before.networkProfiles
        .filter((p) => p.source === 'user')
        .map((p) => p.id)
        .sort(),
    );
  });

  it(`R-DA-8: certificates are ${knox ? 'removed and revoked' : 'revoked but not removed'}`, () => {
    expect(cert(after, 'fx-cert-intune')).toMatchObject({ installed: !knox, revoked: true });
    expect(cert(after, 'fx-cert-user')).toMatchObject({ installed: true, revoked: false });
  });

  it('R-DA-9: the device administrator privilege is revoked', () => {
    expect(before.management.deviceAdminPrivilege).toBe(true);
    expect(after.management.deviceAdminPrivilege).toBe(false);
  });

  it(`R-DA-10: email ${knox ? 'profiles are removed and cached email deleted' : 'is not applicable: no email profiles, nothing changes'}`, () => {
    if (knox) {
      expect(before.emailProfiles.length).toBeGreaterThan(0);
      expect(after.emailProfiles.filter((p) => p.source === 'intune')).toEqual([]);
      expect(after.mail.cachedMessages).toBe(0);
    } else {
      expect(before.emailProfiles).toEqual([]);
      expect(after.mail).toEqual(before.mail);
    }
  });

  it('R-DA-11: the Azure AD record is removed', () => {
    expect(after.azureAd.join).toBe('none');
  });

  it('R-3: personal apps and files stay', () => {
    expect(after.apps.filter((a) => a.kind === 'personal')).toEqual(
      before.apps.filter((a) => a.kind === 'personal'),
    );
    expect(after.files).toEqual(before.files);
  });
});
