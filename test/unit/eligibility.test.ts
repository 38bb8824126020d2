import { describe, expect, it } from 'vitest';
import {
  ACTION_KEYS,
  actionKeysOf,
  checkEligibility,
  ELIGIBILITY,
  verdictAllows,
} from '../../sim/eligibility.ts';
import { PLATFORM_IDS, PLATFORMS } from '../../sim/platforms/index.ts';
import { REASONS, refusal } from '../../sim/reasons.ts';

describe('the eligibility table', () => {
  it('has an explicit entry for every (platform, action, option) pair', () => {
    for (const platform of PLATFORM_IDS) {
      expect(Object.keys(ELIGIBILITY[platform]).sort(), platform).toEqual([...ACTION_KEYS].sort());
      for (const key of ACTION_KEYS) {
        const verdict = ELIGIBILITY[platform][key];
        expect(
          ['supported', 'ignored', 'refused', 'fromBuild', 'exceptEnrollment'],
          `${platform} ${key}`,
        ).toContain(verdict.kind);
        if ('reason' in verdict)
          expect(REASONS[verdict.reason], `${platform} ${key} names a registered reason`).toBeDefined();
      }
    }
  });

  it('W-3, W-4, W-8, W-9, W-PROT-4, R-AE-2, R-AE-3, F-4: refusals carry their rule', () => {
    const subject = (platform: (typeof PLATFORM_IDS)[number], osBuild: number | null = null) => ({
      platform,
      enrollmentType: PLATFORMS[platform].enrollmentModes[0]!.type,
      osBuild,
    });
    const cases = [
      [
        { platform: 'ios', enrollmentType: 'appleUserEnrollment', osBuild: null },
        { action: 'wipe', options: {} },
        'W-3',
      ],
      [subject('windows10', 15063), { action: 'wipe', options: { keepUserData: true } }, 'W-4'],
      [subject('androidWorkProfile'), { action: 'wipe', options: {} }, 'W-8'],
      [subject('androidDedicated'), { action: 'retire' }, 'R-AE-2'],
      [subject('androidFullyManaged'), { action: 'retire' }, 'R-AE-3'],
      [subject('androidCorporateWorkProfile'), { action: 'retire' }, 'R-AE-3'],
      [subject('windows10', 14393), { action: 'wipe', options: { useProtectedWipe: true } }, 'W-PROT-4'],
      [subject('macos'), { action: 'wipe', options: { useProtectedWipe: true } }, 'W-PROT-4'],
      [subject('windows10', 15063), { action: 'freshStart', keepUserData: false }, 'F-4'],
      [subject('windows81', 9600), { action: 'freshStart', keepUserData: true }, 'F-4'],
    ] as const;
    for (const [s, request, specId] of cases) {
      expect(checkEligibility(s, request)?.specId, `${s.platform} ${JSON.stringify(request)}`).toBe(specId);
    }
  });

  it('W-9: dedicated devices can be wiped', () => {
    expect(
      checkEligibility(
        { platform: 'androidDedicated', enrollmentType: 'androidEnterprise', osBuild: null },
        { action: 'wipe', options: {} },
      ),
    ).toBeNull();
  });

  it('sync and delete are allowed on every platform', () => {
    for (const platform of PLATFORM_IDS) {
      for (const action of ['sync', 'delete'] as const) {
        const s = { platform, enrollmentType: PLATFORMS[platform].enrollmentModes[0]!.type, osBuild: 19045 };
        expect(checkEligibility(s, { action })).toBeNull();
      }
    }
  });

  it('Windows 8 and macOS have rows of their own, not the Android device administrator row', () => {
    expect(ELIGIBILITY.windows81).not.toBe(ELIGIBILITY.androidDeviceAdmin);
    expect(ELIGIBILITY.macos).not.toBe(ELIGIBILITY.androidDeviceAdmin);
    expect(ELIGIBILITY.macos['wipe.macOsUnlockCode']).toEqual({ kind: 'supported' });
  });

  it("F-4: Fresh Start keeping user data is refused before 1709 by Fresh Start's own floor, and allowed from it", () => {
    const pc = (osBuild: number) => ({
      platform: 'windows10' as const,
      enrollmentType: 'azureAdJoin' as const,
      osBuild,
    });
    expect(checkEligibility(pc(15063), { action: 'freshStart', keepUserData: true })?.code).toBe(
      'freshStartNotSupported',
    );
    expect(checkEligibility(pc(16299), { action: 'freshStart', keepUserData: true })).toBeNull();
  });

  it('a request touches the cells of its action and of each option it sets, and no others', () => {
    expect(actionKeysOf({ action: 'wipe', options: {} })).toEqual(['wipe']);
    expect(
      actionKeysOf({ action: 'wipe', options: { macOsUnlockCode: '123456', persistEsimDataPlan: false } }),
    ).toEqual(['wipe', 'wipe.macOsUnlockCode', 'wipe.persistEsimDataPlan']);
    expect(actionKeysOf({ action: 'freshStart', keepUserData: true })).toEqual([
      'freshStart',
      'freshStart.keepUserData',
    ]);
    expect(actionKeysOf({ action: 'freshStart', keepUserData: false })).toEqual(['freshStart']);
  });

  it('a verdict allows with null, refuses with its reason; an unknown build meets no floor, not even 0', () => {
    const subject = { platform: 'windows10', enrollmentType: 'azureAdJoin', osBuild: null } as const;
    expect(verdictAllows({ kind: 'supported' }, subject)).toBeNull();
    expect(verdictAllows({ kind: 'ignored' }, subject)).toBeNull();
    const floor = { kind: 'fromBuild', minBuild: 0, reason: 'freshStartNotSupported' } as const;
    expect(verdictAllows(floor, subject)).toEqual(refusal('freshStartNotSupported'));
    expect(verdictAllows(floor, { ...subject, osBuild: 0 })).toBeNull();
  });
});
