import { APPLE_CHECK_IN } from './check-in-schedules.ts';
import { COMPANY_PORTAL_BYOD, MAC_WIPE_MS, mode, recipe } from './recipe-parts.ts';
import type { PlatformProfile } from './types.ts';

export const profile = {
  id: 'macos',
  displayName: 'macOS',
  family: 'apple',
  operatingSystem: 'macOS',
  pushChannel: 'APNs',
  checkIn: APPLE_CHECK_IN,
  enrollmentModes: [
    COMPANY_PORTAL_BYOD,
    mode('automatedDeviceEnrollment', 'appleBulkWithUser', 'company', { weight: 2 }),
  ],
  osReleases: [
    { version: '13.7.1', build: null, label: 'macOS Ventura' },
    { version: '14.7', build: null, label: 'macOS Sonoma' },
    { version: '15.1', build: null, label: 'macOS Sequoia' },
  ],
  models: [
    { manufacturer: 'Apple', model: 'MacBookPro18,3', deviceType: 'macMDM' },
    { manufacturer: 'Apple', model: 'MacBookAir10,1', deviceType: 'macMDM' },
    { manufacturer: 'Apple', model: 'Mac14,3', deviceType: 'macMDM' },
  ],
  wipeDurationMs: MAC_WIPE_MS,
  deleteRemoval: 'retire',
  cleanupExempt: false,
  initialState: recipe({
    apps: [
      {
        kind: 'personal',
        count: [2, 5],
        names: ['Spotify', 'VLC', 'Firefox', 'Affinity Photo', 'Steam'],
        data: ['appLocal'],
      },
      {
        kind: 'managedApp',
        count: [2, 4],
        names: ['Microsoft Outlook', 'Microsoft Teams', 'Company Portal', 'Microsoft Defender', 'Zoom'],
        data: ['appLocal'],
      },
    ],
    certificates: { intune: [1, 2], user: [0, 1] },
    networkProfiles: { intune: [1, 2], user: [0, 2] },
    // Mail app accounts Intune may provision; R-1 removes them at retire (the macOS table is silent).
    emailProfiles: { intune: [0, 1] },
    settings: [4, 8],
    files: [10, 40],
    accounts: 'mac',
    policies: [3, 8],
    filesOutsideProfile: [0, 3],
    managementProfile: true,
    outlookConditionalAccessChance: 0.7,
  }),
} as const satisfies PlatformProfile;
