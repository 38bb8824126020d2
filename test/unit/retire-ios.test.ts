import { describe, expect, it } from 'vitest';
import { app, cert, dataAt, expectDone, makeDevice, networkIds, retire } from '../helpers/devices.ts';

/** behavior-spec.md section 2, iOS/iPadOS table, on every iOS enrollment type that can be retired. */
describe.each(['companyPortal', 'automatedDeviceEnrollment', 'appleUserEnrollment'] as const)(
  'retire on iOS/iPadOS (%s)',
  (enrollmentType) => {
    const device = makeDevice('ios', { enrollmentType });
    const before = device.state;
    const t = retire(device);
    const after = t.state;

    it('reports done with every iOS rule applied', () => {
      expect(expectDone(t)).toEqual([
        'R-IOS-1',
        'R-IOS-2',
        'R-IOS-3',
        'R-IOS-4',
        'R-IOS-5',
        'R-IOS-6',
        'R-IOS-7',
        'R-IOS-8',
        'R-1',
        'R-3',
      ]);
    });

    it('R-IOS-1: Company Portal apps and their data are removed, unless marked not to be removed', () => {
      expect(app(after, 'fx-companyPortal')).toBeUndefined();
      expect(app(after, 'fx-appStoreTakenOver')).toBeUndefined();
      // The exception keeps app and data exactly as they were.
      expect(app(after, 'fx-companyPortal-keep')).toEqual(app(before, 'fx-companyPortal-keep'));
      expect(app(after, 'fx-appStoreTakenOver-keep')).toEqual(app(before, 'fx-appStoreTakenOver-keep'));
      const tied = after.apps.filter((a) => a.kind === 'companyPortal' || a.kind === 'appStoreTakenOver');
      expect(tied.every((a) => a.keepOnUnenroll)).toBe(true);
    });

    it('R-IOS-2: MAM company data in local storage is removed; MAM data outside stays, encrypted and unusable; app and personal data stay', () => {
      expect(app(after, 'fx-mamMicrosoft')?.installed).toBe(true);
      expect(dataAt(after, 'fx-mamMicrosoft', 'mamLocal')).toBeUndefined();
      expect(dataAt(after, 'fx-mamMicrosoft', 'mamExternal')?.status).toBe('encryptedUnusable');
      expect(dataAt(after, 'fx-mamMicrosoft', 'appLocal')?.status).toBe('present');
    });

    it('R-IOS-3: settings are no longer enforced, values unchanged', () => {
      expect(after.settings.map((s) => s.enforced)).toEqual(before.settings.map(() => false));
      expect(after.settings.map((s) => s.value)).toEqual(before.settings.map((s) => s.value));
    });

    it("R-IOS-4: Intune Wi-Fi and VPN profiles are removed, the user's stay", () => {
      expect(networkIds(after)).not.toContain('fx-wifi-intune');
      expect(networkIds(after)).not.toContain('fx-vpn-intune');
      expect(networkIds(after)).toContain('fx-wifi-user');
      expect(after.networkProfiles.every((p) => p.source === 'user')).toBe(true);
    });

    it('R-IOS-5: Intune certificates are removed and revoked', () => {
      expect(cert(after, 'fx-cert-intune')).toMatchObject({ installed: false, revoked: true });
      expect(cert(after, 'fx-cert-user')).toMatchObject({ installed: true, revoked: false });
    });

    it('R-IOS-6: the management profile is removed', () => {
      expect(before.management.managementProfile).toBe(true);
      expect(after.management.managementProfile).toBe(false);
    });

    it('R-IOS-7: Intune email profiles are removed and cached email deleted', () => {
      expect(after.emailProfiles.filter((p) => p.source === 'intune')).toEqual([]);
      expect(before.mail.cachedMessages).toBeGreaterThan(0);
      expect(after.mail.cachedMessages).toBe(0);
    });

    it('R-IOS-8: the Azure AD record is removed', () => {
      expect(before.azureAd.join).toBe('registered');
      expect(after.azureAd.join).toBe('none');
    });

    it('R-1 and R-3: the device leaves management; personal apps, files and accounts stay', () => {
      expect(after.management.enrolled).toBe(false);
      expect(after.management.policies).toEqual([]);
      expect(after.apps.filter((a) => a.kind === 'personal')).toEqual(
        before.apps.filter((a) => a.kind === 'personal'),
      );
      expect(after.files).toEqual(before.files);
      expect(after.accounts).toEqual(before.accounts);
    });
  },
);
