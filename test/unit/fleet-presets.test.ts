import { describe, expect, it } from 'vitest';
import { FLEET_PRESETS } from '../../agent/fleet/fleet-file.ts';
import { generateFleet } from '../../agent/fleet/generator.ts';
import { PLATFORM_IDS, PLATFORMS } from '../../sim/platforms/index.ts';

/** The presets `--fleet` offers hold what `--help` says they hold. */
describe('fleet presets', () => {
  it('every-kind holds one device of every platform × enrollment mode × ownership the catalogue knows', () => {
    const fleet = generateFleet({ seed: 'kinds', cohorts: FLEET_PRESETS['every-kind']!.cohorts });
    const kinds = (platform: string, type: string, ownership: string) => `${platform}/${type}/${ownership}`;
    const expected = PLATFORM_IDS.flatMap((p) =>
      PLATFORMS[p].enrollmentModes.map((m) => kinds(p, m.type, m.ownership)),
    );
    const made = fleet.map((d) =>
      kinds(d.identity.platform, d.identity.enrollmentType, d.identity.ownership),
    );
    expect(made.sort()).toEqual([...expected].sort());
    // The kinds every-platform left out: iOS by Company Portal and by User Enrollment, Windows 8.1 company-owned.
    expect(made).toEqual(
      expect.arrayContaining([
        'ios/companyPortal/personal',
        'ios/appleUserEnrollment/personal',
        'windows81/workplaceJoin/company',
      ]),
    );
  });

  it('small and every-platform hold one and two devices of every platform', () => {
    for (const [name, perPlatform] of [
      ['small', 1],
      ['every-platform', 2],
    ] as const) {
      const fleet = generateFleet({ seed: 'p', cohorts: FLEET_PRESETS[name]!.cohorts });
      for (const p of PLATFORM_IDS)
        expect(fleet.filter((d) => d.identity.platform === p).length, `${name}: ${p}`).toBe(perPlatform);
    }
  });
});

describe('generated devices', () => {
  it('never list the same app twice (in one container)', () => {
    const fleet = generateFleet({
      seed: 'apps',
      cohorts: PLATFORM_IDS.map((platform) => ({ name: platform, platform, count: 40 })),
    });
    for (const d of fleet) {
      const byContainer = new Map<string, string[]>();
      for (const a of d.state.apps) {
        const container = a.id.slice(0, a.id.indexOf('app-'));
        byContainer.set(container, [...(byContainer.get(container) ?? []), a.name]);
      }
      for (const [container, names] of byContainer)
        expect(names.length, `${d.identity.serialNumber} ${container}: ${names.join(', ')}`).toBe(
          new Set(names).size,
        );
    }
  });
});
