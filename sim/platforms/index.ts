import { profile as androidCorporateWorkProfile } from './android-corporate-work-profile.ts';
import { profile as androidDedicated } from './android-dedicated.ts';
import { profile as androidDeviceAdmin } from './android-device-admin.ts';
import { profile as androidFullyManaged } from './android-fully-managed.ts';
import { profile as androidKnox } from './android-knox.ts';
import { profile as androidWorkProfile } from './android-work-profile.ts';
import { profile as ios } from './ios.ts';
import { profile as macos } from './macos.ts';
import type { PlatformId, PlatformProfile } from './types.ts';
import { profile as windows10 } from './windows-10.ts';
import { profile as windows81 } from './windows-81.ts';
import { profile as windowsRT } from './windows-rt.ts';
import { profile as windowsRT81 } from './windows-rt-81.ts';

/** The platform catalogue: one profile per platform, gathered in one table. */
export const PLATFORMS: Readonly<Record<PlatformId, PlatformProfile>> = Object.freeze({
  ios,
  macos,
  androidDeviceAdmin,
  androidKnox,
  androidWorkProfile,
  androidDedicated,
  androidFullyManaged,
  androidCorporateWorkProfile,
  windows81,
  windowsRT81,
  windowsRT,
  windows10,
});

export function platformProfile(id: PlatformId): PlatformProfile {
  return PLATFORMS[id];
}

export * from './types.ts';
