import { describe, expect, it } from 'vitest';
import { app, cert, dataAt, expectDone, makeDevice, networkIds, retire } from '../helpers/devices.ts';

/** behavior-spec.md section 2, the Windows table: 8.1 and RT 8.1, RT, and 10. */
describe.each(['windows81', 'windowsRT81'] as const)('retire on %s', (platform) => {
  const device = makeDevice(platform);
  const before = device.state;
  const t = retire(device);
  const after = t.state;

  it('R-WIN-1: company apps stay; keys for their EFS-protected files are revoked', () => {
    expect(app(after, 'fx-companyApp')?.installed).toBe(true);
    expect(dataAt(after, 'fx-companyApp', 'efs')?.status).toBe('keysRevoked');
    expect(dataAt(after, 'fx-companyApp', 'appLocal')?.status).toBe('present');
    expect(after.management.sideloadingKeys).toBe(true);
  });
  it('R-WIN-5 decides over R-1: EFS-protected email is removed; Intune-provisioned mail accounts and other cached mail stay', () => {
    expect(before.mail.efsProtectedMessages).toBeGreaterThan(0);
    expect(after.mail.efsProtectedMessages).toBe(0);
    expect(after.mail.cachedMessages).toBe(before.mail.cachedMessages);
    expect(before.emailProfiles.some((p) => p.source === 'intune')).toBe(true);
    // R-1 [reading]: the platform row names email, so it decides: the seed names account removal for Windows 10 only.
    expect(after.emailProfiles).toEqual(before.emailProfiles);
  });
  it('R-WIN-6: the Azure AD record is not removed', () => {
    expect(after.azureAd).toEqual(before.azureAd);
  });
  it('R-WIN-2, R-WIN-3, R-WIN-4: settings unenforced; Intune Wi-Fi/VPN removed; certificates removed and revoked', () => {
    expect(after.settings.every((s) => !s.enforced)).toBe(true);
    expect(networkIds(after)).toEqual(
      [
        'fx-wifi-user',
        ...before.networkProfiles
          .filter((p) => p.source === 'user' && p.id !== 'fx-wifi-user')
          .map((p) => p.id),
      ].sort(),
    );
    expect(cert(after, 'fx-cert-intune')).toMatchObject({ installed: false, revoked: true });
    expect(expectDone(t)).toEqual([
      'R-WIN-1',
      'R-WIN-2',
      'R-WIN-3',
      'R-WIN-4',
      'R-WIN-5',
      'R-WIN-6',
      'R-1',
      'R-3',
    ]);
  });
});

describe('retire on Windows RT', () => {
  const device = makeDevice('windowsRT');
  const before = device.state;
  const t = retire(device);
  const after = t.state;

  it('R-WIN-1: company apps are not removed', () => {
    expect(after.apps).toEqual(before.apps);
  });
  it('R-WIN-5: email is not supported: unchanged', () => {
    expect(after.mail).toEqual(before.mail);
    expect(after.emailProfiles).toEqual(before.emailProfiles);
  });
  it('R-WIN-6: the Azure AD record is not removed', () => {
    expect(after.azureAd).toEqual(before.azureAd);
  });
  it('R-WIN-2, R-WIN-3, R-WIN-4 apply as on every Windows', () => {
    expect(after.settings.every((s) => !s.enforced)).toBe(true);
    expect(networkIds(after)).not.toContain('fx-wifi-intune');
    expect(cert(after, 'fx-cert-intune')).toMatchObject({ installed: false, revoked: true });
    expect(after.management.enrolled).toBe(false);
  });
});

describe('retire on Windows 10', () => {
  const device = makeDevice('windows10', { enrollmentType: 'azureAdJoin', osVersion: '22H2' });
  const before = device.state;
  const t = retire(device);
  const after = t.state;

  it('R-WIN-1: company apps uninstalled and sideloading keys removed; Microsoft 365 apps (1709+) and Intune management extension Win32 apps stay', () => {
    expect(app(after, 'fx-companyApp')).toBeUndefined();
    expect(after.apps.filter((a) => a.kind === 'companyApp')).toEqual([]);
    expect(after.management.sideloadingKeys).toBe(false);
    expect(app(after, 'fx-microsoft365')).toEqual(app(before, 'fx-microsoft365'));
    expect(app(after, 'fx-win32Ime')).toEqual(app(before, 'fx-win32Ime'));
  });
  it('R-WIN-1: before 1709, Microsoft 365 apps are removed too', () => {
    const old = retire(makeDevice('windows10', { enrollmentType: 'azureAdJoin', osVersion: '1703' }));
    expect(old.state.apps.filter((a) => a.kind === 'microsoft365')).toEqual([]);
    expect(old.state.apps.filter((a) => a.kind === 'win32Ime').length).toBeGreaterThan(0);
  });
  it('R-WIN-2, R-WIN-3, R-WIN-4: settings unenforced; Intune Wi-Fi/VPN removed; certificates removed and revoked', () => {
    expect(after.settings.every((s) => !s.enforced)).toBe(true);
    expect(after.networkProfiles.every((p) => p.source === 'user')).toBe(true);
    expect(cert(after, 'fx-cert-intune')).toMatchObject({ installed: false, revoked: true });
    expect(cert(after, 'fx-cert-user')).toMatchObject({ installed: true, revoked: false });
  });
  it('R-WIN-5: EFS-protected email removed and Intune-provisioned mail accounts removed', () => {
    expect(after.mail.efsProtectedMessages).toBe(0);
    expect(after.emailProfiles.filter((p) => p.source === 'intune')).toEqual([]);
    expect(after.emailProfiles).toEqual(before.emailProfiles.filter((p) => p.source === 'user'));
  });
  it('R-WIN-6: the Azure AD record is removed', () => {
    expect(before.azureAd.join).toBe('joined');
    expect(after.azureAd.join).toBe('none');
  });
  it('R-WIN-7: joined during setup — every Azure AD account leaves the device; local data reachable as local administrator in safe mode', () => {
    expect(before.azureAd.joinedDuringSetup).toBe(true);
    expect(before.accounts.some((a) => a.kind === 'azureAd')).toBe(true);
    expect(after.accounts.filter((a) => a.kind === 'azureAd')).toEqual([]);
    expect(after.accounts).toEqual(before.accounts.filter((a) => a.kind !== 'azureAd'));
    expect(after.localDataViaSafeModeAdmin).toBe(true);
    expect(after.files).toEqual(before.files);
    expect(expectDone(t)).toContain('R-WIN-7');
  });
  it('R-WIN-7 does not apply to a PC that was not joined during setup', () => {
    const hybrid = makeDevice('windows10', { enrollmentType: 'hybridAzureAdJoin', osVersion: '22H2' });
    const r = retire(hybrid);
    expect(expectDone(r)).not.toContain('R-WIN-7');
    expect(r.state.accounts).toEqual(hybrid.state.accounts);
    expect(r.state.localDataViaSafeModeAdmin).toBe(false);
  });
  it('R-1 and R-3: leaves management; user-installed and OEM apps and user files stay', () => {
    expect(after.management.enrolled).toBe(false);
    expect(after.management.policies).toEqual([]);
    for (const kind of ['storeUser', 'win32User', 'storeOem', 'win32Oem'] as const) {
      expect(after.apps.filter((a) => a.kind === kind)).toEqual(before.apps.filter((a) => a.kind === kind));
    }
    expect(after.files).toEqual(before.files);
  });
});
