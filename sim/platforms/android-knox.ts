import { ANDROID_AND_WINDOWS_10_CHECK_IN } from './check-in-schedules.ts';
import { ANDROID_RELEASES, androidAdminRecipe, PHONE_WIPE_MS, SAMSUNG_MODELS } from './recipe-parts.ts';
import type { PlatformProfile } from './types.ts';

export const profile = {
  id: 'androidKnox',
  displayName: 'Samsung Knox Standard',
  family: 'android',
  operatingSystem: 'Android',
  pushChannel: 'FCM',
  checkIn: ANDROID_AND_WINDOWS_10_CHECK_IN,
  enrollmentModes: [
    {
      type: 'companyPortal',
      graphEnrollmentType: 'userEnrollment',
      graphEnrollmentTypeV1: 'userEnrollment',
      ownership: 'personal',
      azureAd: 'registered',
      joinedDuringSetup: false,
      domainJoined: false,
      weight: 1,
    },
  ],
  osReleases: ANDROID_RELEASES,
  models: SAMSUNG_MODELS,
  wipeDurationMs: PHONE_WIPE_MS,
  deleteRemoval: 'retire',
  cleanupExempt: false,
  initialState: androidAdminRecipe(true),
} as const satisfies PlatformProfile;
