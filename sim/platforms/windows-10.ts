import { ANDROID_AND_WINDOWS_10_CHECK_IN } from './check-in-schedules.ts';
import { mode, PC_WIPE_MS } from './recipe-parts.ts';
import type { PlatformProfile } from './types.ts';
import { WORKPLACE_JOIN, windowsRecipe } from './windows-recipes.ts';

/** Windows 10 builds that decide rules: 1703 (protected wipe, W-PROT-4), 1709 (keep, W-4; Fresh Start, F-4). */
export const WINDOWS_10_BUILD = { v1607: 14393, v1703: 15063, v1709: 16299 } as const;

export const profile = {
  id: 'windows10',
  displayName: 'Windows 10',
  family: 'windows',
  operatingSystem: 'Windows',
  pushChannel: 'WNS',
  checkIn: ANDROID_AND_WINDOWS_10_CHECK_IN,
  enrollmentModes: [
    mode('azureAdJoin', 'windowsAzureADJoin', 'company', {
      azureAd: 'joined',
      joinedDuringSetup: true,
      weight: 5,
    }),
    mode('hybridAzureAdJoin', 'windowsAutoEnrollment', 'company', {
      azureAd: 'joined',
      domainJoined: true,
      weight: 3,
    }),
    { ...WORKPLACE_JOIN, weight: 2 },
  ],
  // Mostly current builds; older ones stay so that the 1703 and 1709 floors can be exercised.
  osReleases: [
    { version: '10.0.14393.7428', build: 14393, label: '1607' },
    { version: '10.0.15063.2679', build: 15063, label: '1703' },
    { version: '10.0.16299.2166', build: 16299, label: '1709' },
    { version: '10.0.17763.6414', build: 17763, label: '1809' },
    { version: '10.0.19044.5131', build: 19044, label: '21H2' },
    { version: '10.0.19045.5131', build: 19045, label: '22H2' },
  ],
  models: [
    { manufacturer: 'Dell Inc.', model: 'Latitude 7440', deviceType: 'desktop' },
    { manufacturer: 'LENOVO', model: 'ThinkPad T14 Gen 4', deviceType: 'desktop' },
    { manufacturer: 'HP', model: 'EliteBook 840 G10', deviceType: 'desktop' },
    { manufacturer: 'Microsoft Corporation', model: 'Surface Laptop 5', deviceType: 'desktop' },
  ],
  wipeDurationMs: PC_WIPE_MS,
  deleteRemoval: 'retire',
  cleanupExempt: false,
  initialState: windowsRecipe('windows10'),
} as const satisfies PlatformProfile;
