import { ANDROID_AND_WINDOWS_10_CHECK_IN } from './check-in-schedules.ts';
import {
  ANDROID_MODELS,
  ANDROID_RELEASES,
  androidEnterpriseMode,
  asDeviceType,
  MOBILE_PERSONAL_APPS,
  PHONE_WIPE_MS,
  recipe,
  SAMSUNG_MODELS,
  WORK_PROFILE_CONTAINER,
} from './recipe-parts.ts';
import type { PlatformProfile } from './types.ts';

/** Android Enterprise personally-owned work profile (BYOD). */
export const profile = {
  id: 'androidWorkProfile',
  displayName: 'Android Enterprise personally-owned work profile',
  family: 'android',
  operatingSystem: 'Android',
  pushChannel: 'FCM',
  checkIn: ANDROID_AND_WINDOWS_10_CHECK_IN,
  enrollmentModes: androidEnterpriseMode('userEnrollment', 'personal'),
  osReleases: ANDROID_RELEASES,
  models: asDeviceType([...ANDROID_MODELS, ...SAMSUNG_MODELS], 'androidForWork'),
  wipeDurationMs: PHONE_WIPE_MS,
  deleteRemoval: 'retire',
  cleanupExempt: false, // D-3 [reading]: the exemption list is closed; BYOD work profiles are cleaned up
  initialState: recipe({
    apps: [MOBILE_PERSONAL_APPS],
    networkProfiles: { user: [0, 2] },
    files: [5, 20],
    policies: [2, 5],
    workProfile: WORK_PROFILE_CONTAINER,
  }),
} as const satisfies PlatformProfile;
