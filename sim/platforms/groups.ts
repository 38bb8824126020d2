import type { PlatformId } from './types.ts';

/**
 * Platform groups the effect tables name. The smallest groups are literal lists; the larger ones are
 * built from them, so a platform added to a small group lands in every group that contains it.
 * test/unit/platform-groups.test.ts checks that no platform is in two smallest groups.
 */
export const IOS: readonly PlatformId[] = ['ios'];
export const MAC: readonly PlatformId[] = ['macos'];
export const APPLE: readonly PlatformId[] = [...IOS, ...MAC];
export const DA: readonly PlatformId[] = ['androidDeviceAdmin'];
export const KNOX: readonly PlatformId[] = ['androidKnox'];
export const DA_AND_KNOX: readonly PlatformId[] = [...DA, ...KNOX];
export const WORK_PROFILE: readonly PlatformId[] = ['androidWorkProfile'];
export const CORPORATE_WORK_PROFILE: readonly PlatformId[] = ['androidCorporateWorkProfile'];
export const WITH_WORK_PROFILE: readonly PlatformId[] = [...WORK_PROFILE, ...CORPORATE_WORK_PROFILE];
export const WIN8: readonly PlatformId[] = ['windows81', 'windowsRT81'];
export const RT: readonly PlatformId[] = ['windowsRT'];
export const WIN8_AND_RT: readonly PlatformId[] = [...WIN8, ...RT];
export const WIN10: readonly PlatformId[] = ['windows10'];
export const WINDOWS: readonly PlatformId[] = [...WIN8_AND_RT, ...WIN10];
