import { describe, expect, it } from 'vitest';
import { PLATFORM_IDS } from '../../sim/platforms/types.ts';
import { expectDone, freshStart, makeDevice } from '../helpers/devices.ts';

describe('Fresh Start on Windows 10 1709+', () => {
  describe.each([true, false])('with keepUserData %s', (keepUserData) => {
    it('F-1: every app, OEM-preinstalled ones included, and settings are removed', () => {
      const device = makeDevice('windows10', { osVersion: '22H2' });
      expect(device.state.apps.some((a) => a.kind === 'storeOem')).toBe(true);
      const t = freshStart(device, keepUserData);
      expect(expectDone(t)[0]).toBe('F-1');
      expect(t.state.apps).toEqual([]);
      expect(t.state.settings.every((s) => s.value === s.defaultValue && !s.enforced)).toBe(true);
      expect(t.state.boot).toBe('normal');
    });
  });

  it.each(['company', 'personal'] as const)(
    'F-2: retaining user data, a %s PC stays Azure AD joined and keeps the home folder and profile',
    (ownership) => {
      const device = makeDevice('windows10', { osVersion: '22H2', enrollmentType: 'azureAdJoin', ownership });
      const before = device.state;
      const t = freshStart(device, true);
      expect(expectDone(t)).toEqual(['F-1', 'F-2']);
      expect(t.state.azureAd).toEqual(before.azureAd);
      expect(t.state.files).toEqual(before.files);
      expect(t.state.accounts).toEqual(before.accounts);
      expect(t.state.management.enrolled).toBe(true); // [design] stays managed either way when data is kept
    },
  );

  it('F-3: without user data, a corporate PC returns to completed setup with the built-in administrator and stays managed', () => {
    const device = makeDevice('windows10', {
      osVersion: '22H2',
      enrollmentType: 'azureAdJoin',
      ownership: 'company',
    });
    const t = freshStart(device, false);
    expect(expectDone(t)).toEqual(['F-1', 'F-3']);
    expect(t.state.accounts).toEqual([
      { id: 'builtin-administrator', name: 'Administrator', kind: 'builtinAdministrator', hasProfile: true },
    ]);
    expect(t.state.files).toEqual([]);
    expect(t.state.boot).toBe('normal');
    expect(t.state.azureAd.join).toBe('joined');
    expect(t.state.management.enrolled).toBe(true);
  });

  it('F-3: without user data, a personal (BYOD) PC is unenrolled from Azure AD and MDM', () => {
    const device = makeDevice('windows10', { osVersion: '22H2', enrollmentType: 'workplaceJoin' });
    expect(device.identity.ownership).toBe('personal');
    const t = freshStart(device, false);
    expect(t.state.azureAd.join).toBe('none');
    expect(t.state.management.enrolled).toBe(false);
    expect(t.state.accounts.map((a) => a.kind)).toEqual(['builtinAdministrator']);
  });
});

describe('F-4: Fresh Start is refused everywhere but Windows 10 1709+', () => {
  it.each(['1607', '1703'] as const)('refused on Windows 10 %s', (osVersion) => {
    const device = makeDevice('windows10', { osVersion });
    const t = freshStart(device, true);
    expect(t.outcome).toMatchObject({
      status: 'notSupported',
      reason: { code: 'freshStartNotSupported', specId: 'F-4' },
    });
    expect(t.state).toBe(device.state);
  });
  it.each(PLATFORM_IDS.filter((p) => p !== 'windows10'))('refused on %s', (platform) => {
    const t = freshStart(makeDevice(platform), false);
    expect(t.outcome).toMatchObject({
      status: 'notSupported',
      reason: { code: 'freshStartNotSupported', specId: 'F-4' },
    });
  });
});
