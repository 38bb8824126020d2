import { ANDROID_AND_WINDOWS_10_CHECK_IN } from './check-in-schedules.ts';
import {
  ANDROID_MODELS,
  ANDROID_RELEASES,
  androidAdminRecipe,
  COMPANY_PORTAL_BYOD,
  PHONE_WIPE_MS,
} from './recipe-parts.ts';
import type { PlatformProfile } from './types.ts';

export const profile = {
  id: 'androidDeviceAdmin',
  displayName: 'Android device administrator',
  family: 'android',
  operatingSystem: 'Android',
  pushChannel: 'FCM',
  checkIn: ANDROID_AND_WINDOWS_10_CHECK_IN,
  enrollmentModes: [COMPANY_PORTAL_BYOD],
  osReleases: ANDROID_RELEASES,
  models: ANDROID_MODELS,
  wipeDurationMs: PHONE_WIPE_MS,
  deleteRemoval: 'retire',
  cleanupExempt: false,
  initialState: androidAdminRecipe(false),
} as const satisfies PlatformProfile;
