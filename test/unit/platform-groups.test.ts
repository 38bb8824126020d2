import { describe, expect, it } from 'vitest';
import * as groups from '../../sim/platforms/groups.ts';
import { PLATFORM_IDS } from '../../sim/platforms/types.ts';

/** The effect tables' platform groups: small literal groups, larger ones built from them. */
const SMALLEST = [
  groups.IOS,
  groups.MAC,
  groups.DA,
  groups.KNOX,
  groups.WORK_PROFILE,
  groups.CORPORATE_WORK_PROFILE,
  groups.WIN8,
  groups.RT,
  groups.WIN10,
];

describe('platform groups', () => {
  it('no platform is in two smallest groups, and each is a known platform', () => {
    const all = SMALLEST.flat();
    expect(new Set(all).size).toBe(all.length);
    for (const id of all) expect(PLATFORM_IDS).toContain(id);
  });

  it.each([
    ['APPLE', groups.APPLE, [groups.IOS, groups.MAC]],
    ['DA_AND_KNOX', groups.DA_AND_KNOX, [groups.DA, groups.KNOX]],
    ['WITH_WORK_PROFILE', groups.WITH_WORK_PROFILE, [groups.WORK_PROFILE, groups.CORPORATE_WORK_PROFILE]],
    ['WIN8_AND_RT', groups.WIN8_AND_RT, [groups.WIN8, groups.RT]],
    ['WINDOWS', groups.WINDOWS, [groups.WIN8, groups.RT, groups.WIN10]],
  ] as const)('%s is the union of its parts', (_, group, parts) => {
    expect([...group].sort()).toEqual(parts.flat().sort());
  });
});
