import { describe, expect, it } from 'vitest';
import type { Device } from '../../agent/model/commands.ts';
import type { AppItem } from '../../sim/device-state.ts';
import { dataAt, expectDone, makeDevice, retire } from '../helpers/devices.ts';

/**
 * Retire effects the per-platform files leave implicit, asserted exactly: the rules each Windows
 * retire reports, settings that stay as the user had them, R-DA-4/5's MAM-local data, R-AE-1's
 * Azure AD registration.
 */

/** R-WIN-1..6, the rows every Windows platform's table has. */
const WINDOWS_ROWS = [1, 2, 3, 4, 5, 6].map((n) => `R-WIN-${n}`);

describe('retire reports exactly the rules that applied, in table order', () => {
  it.each([
    [
      'Windows 10 joined during setup',
      makeDevice('windows10', { enrollmentType: 'azureAdJoin', osVersion: '22H2' }),
      [...WINDOWS_ROWS, 'R-WIN-7'],
    ],
    ['Windows RT', makeDevice('windowsRT'), WINDOWS_ROWS],
    // Before 1709 R-WIN-1 removes Microsoft 365 apps too: the same rule, reported once.
    [
      'Windows 10 1703',
      makeDevice('windows10', { enrollmentType: 'hybridAzureAdJoin', osVersion: '1703' }),
      WINDOWS_ROWS,
    ],
  ] as const)('%s', (_, device, rows) => {
    expect(expectDone(retire(device))).toEqual([...rows, 'R-1', 'R-3']);
  });
});

describe('R-WIN-5 on Windows 10: the mail of the Intune-provisioned accounts goes with them', () => {
  it('cached mail is removed', () => {
    const device = makeDevice('windows10', { osVersion: '22H2' });
    const mailed = {
      ...device,
      state: { ...device.state, mail: { cachedMessages: 9, efsProtectedMessages: 2 } },
    };
    expect(retire(mailed).state.mail).toEqual({ cachedMessages: 0, efsProtectedMessages: 0 });
  });
});

describe.each(['macos', 'windows81'] as const)(
  'R-MAC-1 / R-WIN-2 on %s: settings are no longer enforced',
  (platform) => {
    it('and keep the value they had: the user can change them, nothing resets them', () => {
      const device = makeDevice(platform);
      const settings = [
        { key: 'camera.allowed', value: 'false', defaultValue: 'true', enforced: true },
        { key: 'pin.minLength', value: '8', defaultValue: '4', enforced: true },
      ];
      const t = retire({ ...device, state: { ...device.state, settings } });
      expect(t.state.settings).toEqual(settings.map((s) => ({ ...s, enforced: false })));
    });
  },
);

describe.each(['androidDeviceAdmin', 'androidKnox'] as const)('R-DA-4 and R-DA-5 on %s', (platform) => {
  it('remove a managed app’s MAM-protected local data too; the app stays', () => {
    const device = makeDevice(platform);
    const managed = (kind: AppItem['kind']): AppItem => ({
      id: `mam-${kind}`,
      name: kind,
      kind,
      installed: true,
      keepOnUnenroll: false,
      data: [
        { location: 'mamLocal', status: 'present', sizeBytes: 1 },
        { location: 'mamExternal', status: 'present', sizeBytes: 1 },
      ],
    });
    const withMam: Device = {
      ...device,
      state: { ...device.state, apps: [managed('googlePlayManaged'), managed('lobManaged')] },
    };
    const after = retire(withMam).state;
    for (const kind of ['googlePlayManaged', 'lobManaged'] as const) {
      expect(dataAt(after, `mam-${kind}`, 'mamLocal')).toBeUndefined();
      expect(dataAt(after, `mam-${kind}`, 'mamExternal')?.status).toBe('encryptedUnusable');
      expect(after.apps.find((a) => a.id === `mam-${kind}`)?.installed).toBe(true);
    }
  });
});

describe('R-AE-1: a personally-owned work profile', () => {
  it('takes its Azure AD registration with it', () => {
    const device = makeDevice('androidWorkProfile');
    expect(device.state.azureAd.join).not.toBe('none');
    const t = retire(device);
    expect(t.state.azureAd).toEqual({ join: 'none', joinedDuringSetup: false });
    expect(t.state.workProfile).toBeNull();
  });
});
