import { ANDROID_AND_WINDOWS_10_CHECK_IN } from './check-in-schedules.ts';
import {
  ANDROID_RELEASES,
  androidAdminRecipe,
  COMPANY_PORTAL_BYOD,
  PHONE_WIPE_MS,
  SAMSUNG_MODELS,
} from './recipe-parts.ts';
import type { PlatformProfile } from './types.ts';

export const profile = {
  id: 'androidKnox',
  displayName: 'Samsung Knox Standard',
  family: 'android',
  operatingSystem: 'Android',
  pushChannel: 'FCM',
  checkIn: ANDROID_AND_WINDOWS_10_CHECK_IN,
  enrollmentModes: [COMPANY_PORTAL_BYOD],
  osReleases: ANDROID_RELEASES,
  models: SAMSUNG_MODELS,
  wipeDurationMs: PHONE_WIPE_MS,
  deleteRemoval: 'retire',
  cleanupExempt: false,
  initialState: androidAdminRecipe(true),
} as const satisfies PlatformProfile;
