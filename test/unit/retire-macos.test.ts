import { describe, expect, it } from 'vitest';
import { cert, expectDone, makeDevice, networkIds, retire } from '../helpers/devices.ts';

describe('retire on macOS', () => {
  const device = makeDevice('macos', { overrides: { outlookConditionalAccess: true } });
  const before = device.state;
  const t = retire(device);
  const after = t.state;

  it('applies the macOS rules', () => {
    expect(expectDone(t)).toEqual([
      'R-MAC-1',
      'R-MAC-2',
      'R-MAC-3',
      'R-MAC-4',
      'R-MAC-5',
      'R-MAC-6',
      'R-1',
      'R-3',
    ]);
  });
  it('R-MAC-1: settings are no longer enforced', () => {
    expect(after.settings.every((s) => !s.enforced)).toBe(true);
  });
  it('R-MAC-2: Intune Wi-Fi and VPN profiles are removed', () => {
    expect(networkIds(after)).toContain('fx-wifi-user');
    expect(networkIds(after)).not.toContain('fx-wifi-intune');
    expect(networkIds(after)).not.toContain('fx-vpn-intune');
  });
  it('R-MAC-3: MDM certificates are removed and revoked', () => {
    expect(cert(after, 'fx-cert-intune')).toMatchObject({ installed: false, revoked: true });
    expect(cert(after, 'fx-cert-user')).toMatchObject({ installed: true, revoked: false });
  });
  it('R-MAC-4: the management profile is removed', () => {
    expect(after.management.managementProfile).toBe(false);
  });
  it('R-MAC-5: with conditional access, Outlook receives no new email', () => {
    expect(before.outlook).toEqual({ conditionalAccess: true, receivesNewMail: true });
    expect(after.outlook).toEqual({ conditionalAccess: true, receivesNewMail: false });
  });
  it('R-MAC-5: without conditional access, Outlook keeps receiving email', () => {
    const noCa = retire(makeDevice('macos', { overrides: { outlookConditionalAccess: false } }));
    expect(noCa.state.outlook).toEqual({ conditionalAccess: false, receivesNewMail: true });
    expect(expectDone(noCa)).not.toContain('R-MAC-5');
  });
  it('R-MAC-6: the Azure AD record is removed', () => {
    expect(after.azureAd.join).toBe('none');
  });
  it('R-3: personal apps with their data, and user files, stay', () => {
    const personal = (s: typeof before) => s.apps.filter((a) => a.kind === 'personal');
    expect(personal(before).length).toBeGreaterThan(0);
    expect(personal(after)).toEqual(personal(before));
    expect(after.files).toEqual(before.files);
  });
  it('R-1 on macOS [reading]: the data of Intune-assigned apps is removed; the apps stay', () => {
    const managed = (s: typeof before) => s.apps.filter((a) => a.kind === 'managedApp');
    expect(managed(before).flatMap((a) => a.data).length).toBeGreaterThan(0);
    expect(managed(after).map((a) => a.id)).toEqual(managed(before).map((a) => a.id));
    expect(managed(after).flatMap((a) => a.data)).toEqual([]);
  });
  it("R-1 on macOS: the email profiles Intune assigned are removed; the user's stay", () => {
    const d = makeDevice('macos', {
      overrides: {
        emailProfiles: [{ account: 'ann@contoso.com' }, { account: 'ann@home.example', source: 'user' }],
      },
    });
    const r = retire(d);
    expect(r.state.emailProfiles.map((p) => p.account)).toContain('ann@home.example');
    expect(r.state.emailProfiles.filter((p) => p.source === 'intune')).toEqual([]);
  });
  it('macOS has no app protection (MAM) data to set up', () => {
    expect(() =>
      makeDevice('macos', { overrides: { apps: [{ kind: 'managedApp', name: 'X', data: ['mamLocal'] }] } }),
    ).toThrow(/macos apps keep no data at 'mamLocal'/);
  });
});
