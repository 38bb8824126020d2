import { describe, expect, it } from 'vitest';
import type { Device } from '../../agent/model/commands.ts';
import type { DeviceState } from '../../sim/device-state.ts';
import { cert, expectDone, freshStart, makeDevice, wipe } from '../helpers/devices.ts';

/**
 * Effects of wipe and Fresh Start that the per-rule tests leave implicit, asserted exactly: what a
 * reset does to certificates, mail, the autologon user, policies and R-WIN-7's safe-mode access.
 */

const windows10 = (
  patch: Partial<DeviceState> = {},
  ownership: 'company' | 'personal' = 'company',
): Device => {
  const device = makeDevice('windows10', { osVersion: '22H2', enrollmentType: 'azureAdJoin', ownership });
  return {
    ...device,
    state: {
      ...device.state,
      autologonUser: 'kiosk',
      localDataViaSafeModeAdmin: true,
      management: { ...device.state.management, sideloadingKeys: true },
      ...patch,
    },
  };
};

describe('W-1: a full wipe', () => {
  it('takes certificates off the device without revoking them at the CA', () => {
    const device = makeDevice('ios');
    const t = wipe(device);
    expect(cert(t.state, 'fx-cert-intune')).toMatchObject({ installed: false, revoked: false });
    expect(cert(t.state, 'fx-cert-user')).toMatchObject({ installed: false, revoked: false });
  });

  it('on Windows: the autologon user and sideloading keys go; R-WIN-7’s safe-mode access ends', () => {
    const t = wipe(windows10());
    expect(t.state.autologonUser).toBeNull();
    expect(t.state.management.sideloadingKeys).toBe(false);
    expect(t.state.localDataViaSafeModeAdmin).toBe(false);
  });

  it('an eSIM plan removed with persistEsimDataPlan: false is part of W-1', () => {
    const device = makeDevice('ios', { enrollmentType: 'companyPortal', overrides: { esimDataPlan: true } });
    const t = wipe(device, { persistEsimDataPlan: false });
    expect(t.state.esimDataPlan).toBe(false);
    expect(expectDone(t)).toEqual(['W-1']);
  });
});

describe('W-2: a wipe keeping enrollment and user data', () => {
  const device = windows10({ mail: { cachedMessages: 12, efsProtectedMessages: 3 } });
  const t = wipe(device, { keepUserData: true });

  it('removes cached and EFS-protected mail and the sideloading keys, and boots to the kept user', () => {
    expect(t.state.mail).toEqual({ cachedMessages: 0, efsProtectedMessages: 0 });
    expect(t.state.management.sideloadingKeys).toBe(false);
    expect(t.state.boot).toBe('normal');
  });

  it('keeps the autologon user (W-KEEP-7); R-WIN-7’s safe-mode access ends', () => {
    expect(t.state.autologonUser).toBe('kiosk');
    expect(t.state.localDataViaSafeModeAdmin).toBe(false);
  });
});

describe('F-1: Fresh Start, either way', () => {
  it.each([true, false])(
    'keepUserData %s: policies and sideloading keys go, safe-mode access ends',
    (keep) => {
      const device = windows10();
      expect(device.state.management.policies.length).toBeGreaterThan(0);
      const t = freshStart(device, keep);
      expect(t.state.management.policies).toEqual([]);
      expect(t.state.management.sideloadingKeys).toBe(false);
      expect(t.state.localDataViaSafeModeAdmin).toBe(false);
    },
  );
});

describe('F-3: Fresh Start without user data', () => {
  it('removes every email profile and all mail, and the autologon user', () => {
    const device = windows10({ mail: { cachedMessages: 12, efsProtectedMessages: 3 } });
    expect(device.state.emailProfiles.length).toBeGreaterThan(0);
    const t = freshStart(device, false);
    expect(t.state.emailProfiles).toEqual([]);
    expect(t.state.mail).toEqual({ cachedMessages: 0, efsProtectedMessages: 0 });
    expect(t.state.autologonUser).toBeNull();
  });

  it('a personal PC also loses every certificate (not revoked) and every Wi-Fi/VPN profile', () => {
    const device = windows10({}, 'personal');
    const t = freshStart(device, false);
    expect(expectDone(t)).toEqual(['F-1', 'F-3']);
    expect(t.state.certificates).toEqual(
      device.state.certificates.map((c) => ({ ...c, installed: false, revoked: c.revoked })),
    );
    expect(t.state.networkProfiles).toEqual([]);
  });

  it('a corporate PC keeps its certificates and Wi-Fi/VPN profiles', () => {
    const device = windows10({}, 'company');
    const t = freshStart(device, false);
    expect(t.state.certificates).toEqual(device.state.certificates);
    expect(t.state.networkProfiles).toEqual(device.state.networkProfiles);
  });

  it('keeps the autologon user when user data is kept (F-2)', () => {
    expect(freshStart(windows10(), true).state.autologonUser).toBe('kiosk');
  });
});

describe('a reset started in setup (after a wipe that kept the enrollment)', () => {
  const inSetup = (): Device => {
    const device = windows10();
    const t = wipe(device, { keepEnrollmentData: true });
    expect(t.state).toMatchObject({ boot: 'setup', management: { enrolled: true } });
    return { ...device, state: t.state };
  };

  it('W-2: a wipe keeping user data boots to the OS, not setup', () => {
    expect(wipe(inSetup(), { keepUserData: true }).state.boot).toBe('normal');
  });

  it.each([true, false])('F-1: Fresh Start (keepUserData %s) boots to the OS, not setup', (keep) => {
    expect(freshStart(inSetup(), keep).state.boot).toBe('normal');
  });
});
