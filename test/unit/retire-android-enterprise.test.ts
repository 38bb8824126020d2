import { describe, expect, it } from 'vitest';
import { expectDone, makeDevice, retire } from '../helpers/devices.ts';

describe('retire on Android Enterprise', () => {
  it('R-AE-1: personally-owned work profile — the work profile and everything in it goes; the personal side is untouched; the device leaves management', () => {
    const device = makeDevice('androidWorkProfile');
    const before = device.state;
    expect(before.workProfile?.apps.length).toBeGreaterThan(0);
    const t = retire(device);
    expect(expectDone(t)).toEqual(['R-AE-1', 'R-1', 'R-3']);
    expect(t.state.workProfile).toBeNull();
    expect(t.state.management.enrolled).toBe(false);
    // Personal side: exactly as it was.
    expect(t.state.apps).toEqual(before.apps);
    expect(t.state.files).toEqual(before.files);
    expect(t.state.accounts).toEqual(before.accounts);
    expect(t.state.networkProfiles).toEqual(before.networkProfiles);
    expect(t.state.certificates).toEqual(before.certificates);
  });

  it.each([
    ['androidDedicated', 'retireNotSupportedForDedicated', 'R-AE-2'],
    ['androidFullyManaged', 'retireNotSupportedForCorporateOwnedAndroid', 'R-AE-3'],
    ['androidCorporateWorkProfile', 'retireNotSupportedForCorporateOwnedAndroid', 'R-AE-3'],
  ] as const)(
    'R-AE-2 / R-AE-3 / W-9: %s refuses retire (%s) and keeps its state',
    (platform, code, specId) => {
      const device = makeDevice(platform);
      const t = retire(device);
      expect(t.outcome).toMatchObject({ status: 'notSupported', reason: { code, specId } });
      expect(t.state).toBe(device.state);
    },
  );
});
