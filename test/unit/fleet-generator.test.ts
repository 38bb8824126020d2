import { describe, expect, it } from 'vitest';
import { FleetSpecError } from '../../agent/fleet/cohort.ts';
import { generateFleet } from '../../agent/fleet/generator.ts';
import { PLATFORM_IDS, PLATFORMS } from '../../sim/platforms/index.ts';

const everyPlatform = PLATFORM_IDS.map((platform) => ({ name: platform, platform, count: 3 }));

describe('the seeded fleet generator', () => {
  it('gives the same fleet for the same seed', () => {
    expect(generateFleet({ seed: 'x', cohorts: everyPlatform })).toEqual(
      generateFleet({ seed: 'x', cohorts: everyPlatform }),
    );
  });

  it('gives a different fleet for another seed', () => {
    const a = generateFleet({ seed: 'x', cohorts: everyPlatform }).map((d) => d.identity.serialNumber);
    const b = generateFleet({ seed: 'y', cohorts: everyPlatform }).map((d) => d.identity.serialNumber);
    expect(a.filter((s, i) => s === b[i])).toEqual([]);
  });

  it('adding a device or a cohort leaves the existing devices as they were', () => {
    const small = generateFleet({ seed: 7, cohorts: [{ name: 'a', platform: 'ios', count: 2 }] });
    const bigger = generateFleet({
      seed: 7,
      cohorts: [
        { name: 'z', platform: 'windows10', count: 4 },
        { name: 'a', platform: 'ios', count: 5 },
      ],
    });
    expect(bigger.filter((d) => d.cohort === 'a').slice(0, 2)).toEqual(small);
  });

  it('labels an unnamed cohort by its platform, numbered past the names other cohorts have', () => {
    const fleet = generateFleet({
      seed: 3,
      cohorts: [
        { platform: 'windows10', count: 1 },
        { name: 'windows10-2', platform: 'ios', count: 1 },
        { platform: 'windows10', count: 1 },
        { platform: 'macos', count: 1 },
      ],
    });
    expect(fleet.map((d) => d.cohort)).toEqual(['windows10', 'windows10-2', 'windows10-3', 'macos']);
  });

  it("keeps an unnamed cohort's devices seeded by its position, whatever its label", () => {
    const unnamed = generateFleet({ seed: 3, cohorts: [{ platform: 'androidKnox', count: 2 }] });
    const named = generateFleet({ seed: 3, cohorts: [{ name: '0', platform: 'androidKnox', count: 2 }] });
    expect(unnamed.map((d) => d.identity)).toEqual(named.map((d) => d.identity));
    expect(unnamed[0]!.cohort).toBe('androidKnox');
  });

  it('gives every device a unique serial number and freezes identities', () => {
    const fleet = generateFleet({
      seed: 1,
      cohorts: PLATFORM_IDS.map((platform) => ({ platform, count: 50 })),
    });
    expect(new Set(fleet.map((d) => d.identity.serialNumber)).size).toBe(fleet.length);
    expect(Object.isFrozen(fleet[0]!.identity)).toBe(true);
  });

  it('fills identities with the values Intune reports for each platform', () => {
    for (const d of generateFleet({ seed: 3, cohorts: everyPlatform })) {
      const profile = PLATFORMS[d.identity.platform];
      expect(profile.models.map((m) => m.model)).toContain(d.identity.model);
      expect(profile.osReleases.map((r) => r.version)).toContain(d.identity.osVersion);
      expect(profile.enrollmentModes.map((m) => m.type)).toContain(d.identity.enrollmentType);
      if (profile.family === 'android') expect(d.identity.imei).toMatch(/^\d{15}$/);
      expect(d.identity.wiFiMacAddress).toMatch(/^[0-9a-f]{12}$/);
      if (d.identity.user) expect(d.identity.user.userPrincipalName).toMatch(/^[a-z0-9.-]+@contoso\.com$/);
    }
  });

  it('kiosks have no user; other devices have one', () => {
    const fleet = generateFleet({ seed: 3, cohorts: everyPlatform });
    for (const d of fleet)
      expect(d.identity.user === null, d.identity.platform).toBe(d.identity.platform === 'androidDedicated');
  });

  it('honours the cohort: enrollment type, OS version by label or full Windows build, ownership, user', () => {
    const [a, b] = generateFleet({
      seed: 1,
      cohorts: [
        {
          platform: 'windows10',
          count: 1,
          enrollmentType: 'workplaceJoin',
          osVersion: '1709',
          ownership: 'company',
          user: 'jo@fabrikam.com',
        },
        { platform: 'windows10', count: 1, osVersion: '10.0.18363.1556' },
      ],
    });
    expect(a!.identity).toMatchObject({
      enrollmentType: 'workplaceJoin',
      osVersion: '10.0.16299.2166',
      osBuild: 16299,
      ownership: 'company',
      user: { userPrincipalName: 'jo@fabrikam.com' },
    });
    expect(b!.identity).toMatchObject({ osVersion: '10.0.18363.1556', osBuild: 18363 });
  });

  it('generates the state each platform carries', () => {
    const byPlatform = Object.fromEntries(
      generateFleet({ seed: 5, cohorts: everyPlatform }).map((d) => [d.identity.platform, d.state]),
    );
    expect(byPlatform.ios!.management.managementProfile).toBe(true);
    expect(byPlatform.androidDeviceAdmin!.management.deviceAdminPrivilege).toBe(true);
    expect(byPlatform.androidDeviceAdmin!.emailProfiles).toEqual([]); // R-DA-10
    expect(byPlatform.androidWorkProfile!.workProfile).not.toBeNull();
    expect(byPlatform.androidCorporateWorkProfile!.workProfile).not.toBeNull();
    expect(byPlatform.androidFullyManaged!.workProfile).toBeNull();
    expect(byPlatform.windows10!.management.sideloadingKeys).toBe(true);
    for (const state of Object.values(byPlatform)) {
      expect(state.management.enrolled).toBe(true);
      expect(state.power).toBe('on');
      expect(state.boot).toBe('normal');
      expect(state.nvram).toEqual({ resetJob: null, firmwareUnlockCode: null });
    }
  });

  it('applies state overrides', () => {
    const [d] = generateFleet({
      seed: 1,
      cohorts: [
        {
          platform: 'windows10',
          count: 1,
          overrides: {
            conditions: { corruptedInstallation: true },
            bitLocker: true,
            recoveryEnvironmentHealthy: false,
            apps: [{ kind: 'win32User', name: 'Legacy Tool', data: ['appLocal'] }],
            emailProfiles: [{ account: 'ann@contoso.com' }],
            certificates: [{ subject: 'CN=home' }],
            networkProfiles: [{ name: 'home-wifi' }],
            settings: [{ key: 'wallpaper', value: 'beach', defaultValue: 'default' }],
          },
        },
      ],
    });
    expect(d!.state.conditions).toEqual({
      corruptedInstallation: true,
      bitLockerResetFails: false,
      rollbackFails: false,
    });
    expect(d!.state.bitLocker).toBe(true);
    expect(d!.state.recoveryEnvironmentHealthy).toBe(false);
    expect(d!.state.apps.at(-1)).toMatchObject({
      name: 'Legacy Tool',
      kind: 'win32User',
      data: [{ location: 'appLocal' }],
    });
    const s = d!.state;
    expect(s.emailProfiles.at(-1)).toMatchObject({ account: 'ann@contoso.com', source: 'intune' });
    expect(s.certificates.at(-1)).toMatchObject({ subject: 'CN=home', source: 'user', installed: true });
    expect(s.networkProfiles.at(-1)).toMatchObject({ name: 'home-wifi', kind: 'wifi', source: 'user' });
    expect(s.settings.at(-1)).toEqual({
      key: 'wallpaper',
      value: 'beach',
      defaultValue: 'default',
      enforced: false,
    });
  });

  it.each([
    [{ platform: 'blackberry', count: 1 }, 'cohorts[0].platform'],
    [{ platform: 'ios', count: 0 }, 'cohorts[0].count'],
    [{ platform: 'ios', count: 1.5 }, 'cohorts[0].count'],
    [{ platform: 'ios', count: 1, enrollmentType: 'azureAdJoin' }, 'cohorts[0].enrollmentType'],
    [{ platform: 'ios', count: 1, osVersion: '99' }, 'cohorts[0].osVersion'],
    [{ platform: 'ios', count: 1, ownership: 'shared' }, 'cohorts[0].ownership'],
    [{ platform: 'ios', count: 1, user: 'nobody' }, 'cohorts[0].user'],
    [
      { platform: 'ios', count: 1, overrides: { apps: [{ kind: 'toaster', name: 'x' }] } },
      'cohorts[0].overrides.apps[0].kind',
    ],
    // States the platform cannot have: a Windows app kind on iOS, MAM data on macOS, EFS on Windows 10.
    [
      { platform: 'ios', count: 1, overrides: { apps: [{ kind: 'win32Oem', name: 'x' }] } },
      'cohorts[0].overrides.apps[0].kind',
    ],
    [
      {
        platform: 'macos',
        count: 1,
        overrides: { apps: [{ kind: 'managedApp', name: 'x', data: ['mamLocal'] }] },
      },
      'cohorts[0].overrides.apps[0].data[0]',
    ],
    [
      {
        platform: 'windows10',
        count: 1,
        overrides: { apps: [{ kind: 'win32User', name: 'x', data: ['efs'] }] },
      },
      'cohorts[0].overrides.apps[0].data[0]',
    ],
    [
      { platform: 'androidDeviceAdmin', count: 1, overrides: { emailProfiles: [{ account: 'a@b.c' }] } },
      'cohorts[0].overrides.emailProfiles[0].source',
    ],
    [
      { platform: 'ios', count: 1, overrides: { outlookConditionalAccess: true } },
      'cohorts[0].overrides.outlookConditionalAccess',
    ],
    [{ platform: 'androidKnox', count: 1, overrides: { bitLocker: true } }, 'cohorts[0].overrides.bitLocker'],
  ])('refuses a bad cohort %o naming %s', (cohort, path) => {
    const attempt = () => generateFleet({ seed: 1, cohorts: [cohort as any] });
    expect(attempt).toThrow(FleetSpecError);
    expect(attempt).toThrow(new RegExp(`^${path.replace(/[[\].]/g, '\\$&')}: expected `));
  });

  it('gives devices with equal settings and policies one shared, frozen copy of each', () => {
    const fleet = generateFleet({ seed: 3, cohorts: [{ name: 'w', platform: 'windows10', count: 40 }] });
    const settings = fleet.flatMap((d) => d.state.settings);
    const policies = fleet.flatMap((d) => d.state.management.policies);
    expect(settings.length).toBeGreaterThan(40);
    expect(policies.length).toBeGreaterThan(40);
    // Each distinct value is one object, however many devices hold it.
    expect(new Set(settings).size).toBe(new Set(settings.map((s) => JSON.stringify(s))).size);
    expect(new Set(policies).size).toBe(new Set(policies.map((p) => JSON.stringify(p))).size);
    expect(new Set(settings).size).toBeLessThan(settings.length / 4);
    for (const item of [...settings, ...policies]) expect(Object.isFrozen(item)).toBe(true);
    // cloneData shares what is frozen without copying what hangs off it: frozen all the way down.
    for (const { identity } of fleet) {
      expect(Object.isFrozen(identity)).toBe(true);
      if (identity.user) expect(Object.isFrozen(identity.user)).toBe(true);
    }
    expect(fleet.some((d) => d.identity.user)).toBe(true);
    expect(() => {
      (settings[0] as { value: string }).value = 'changed';
    }).toThrow(TypeError);
  });

  it('shares nothing mutable between devices: each is handed to its agent uncopied (FleetRunner.addFleet)', () => {
    // Every platform, and a cohort whose devices all get the same overrides.
    const cohorts = [
      ...PLATFORM_IDS.map((platform) => ({ platform, count: 12 })),
      {
        platform: 'windows10' as const,
        count: 5,
        overrides: {
          conditions: { corruptedInstallation: true },
          apps: [{ kind: 'win32User' as const, name: 'Legacy Tool', data: ['appLocal' as const] }],
          emailProfiles: [{ account: 'ann@contoso.com' }],
          certificates: [{ subject: 'CN=home' }],
          networkProfiles: [{ name: 'home-wifi' }],
          settings: [{ key: 'wallpaper', value: 'beach', defaultValue: 'default' }],
        },
      },
    ];
    const fleet = generateFleet({ seed: 'handover', cohorts });
    const ownerOf = new Map<object, number>();
    const sharedPaths: string[] = [];
    fleet.forEach((device, i) => {
      const seen = new Set<object>();
      const walk = (value: unknown, path: string): void => {
        if (typeof value !== 'object' || value === null || Object.isFrozen(value) || seen.has(value)) return;
        seen.add(value);
        const owner = ownerOf.get(value);
        if (owner !== undefined && owner !== i) sharedPaths.push(path);
        ownerOf.set(value, i);
        for (const [key, v] of Object.entries(value)) walk(v, `${path}.${key}`);
      };
      walk(device, `fleet[${i}]`);
    });
    expect(ownerOf.size, 'every device has mutable state of its own').toBeGreaterThan(fleet.length * 5);
    expect(sharedPaths).toEqual([]);
  });
});
