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
  it('R-3: apps and user files stay', () => {
    expect(after.apps).toEqual(before.apps);
    expect(after.files).toEqual(before.files);
  });
});
