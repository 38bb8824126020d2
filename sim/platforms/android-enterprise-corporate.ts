import { ANDROID_AND_WINDOWS_10_CHECK_IN } from './check-in-schedules.ts';
import {
  ANDROID_MODELS,
  ANDROID_RELEASES,
  androidEnterpriseCorporateRecipe,
  androidEnterpriseMode,
  asDeviceType,
  PHONE_WIPE_MS,
  SAMSUNG_MODELS,
} from './recipe-parts.ts';
import type { PlatformId, PlatformProfile } from './types.ts';

/**
 * The three corporate-owned Android Enterprise modes differ only in name, Graph enrollment type
 * and initial contents; everything that decides behaviour is the same (W-9, R-AE-2, R-AE-3, D-3).
 */
export function androidEnterpriseCorporateProfile<Id extends PlatformId>(
  id: Id,
  displayName: string,
  graphEnrollmentType:
    | 'androidEnterpriseDedicatedDevice'
    | 'androidEnterpriseFullyManaged'
    | 'androidEnterpriseCorporateWorkProfile',
  kind: Parameters<typeof androidEnterpriseCorporateRecipe>[0],
) {
  return {
    id,
    displayName,
    family: 'android',
    operatingSystem: 'Android',
    pushChannel: 'FCM',
    checkIn: ANDROID_AND_WINDOWS_10_CHECK_IN,
    enrollmentModes: androidEnterpriseMode(graphEnrollmentType),
    osReleases: ANDROID_RELEASES,
    models: asDeviceType([...ANDROID_MODELS, ...SAMSUNG_MODELS], 'androidEnterprise'),
    wipeDurationMs: PHONE_WIPE_MS,
    // D-1 [design]: cannot be retired (W-9, R-AE-2, R-AE-3), so a delete wipes it at its next check-in.
    deleteRemoval: 'wipe',
    cleanupExempt: true, // D-3
    initialState: androidEnterpriseCorporateRecipe(kind),
  } as const satisfies PlatformProfile;
}
