import { WINDOWS_8_CHECK_IN } from './check-in-schedules.ts';
import { PC_WIPE_MS } from './recipe-parts.ts';
import type { PlatformProfile } from './types.ts';
import { WORKPLACE_JOIN, windowsRecipe } from './windows-recipes.ts';

export const profile = {
  id: 'windowsRT81',
  displayName: 'Windows RT 8.1',
  family: 'windows',
  operatingSystem: 'Windows',
  pushChannel: 'WNS',
  checkIn: WINDOWS_8_CHECK_IN,
  enrollmentModes: [WORKPLACE_JOIN],
  osReleases: [{ version: '6.3.9600.17031', build: 9600, label: 'RT 8.1' }],
  models: [
    { manufacturer: 'Microsoft Corporation', model: 'Surface 2', deviceType: 'windowsRT' },
    { manufacturer: 'NOKIA', model: 'Lumia 2520', deviceType: 'windowsRT' },
  ],
  wipeDurationMs: PC_WIPE_MS,
  deleteRemoval: 'retire',
  cleanupExempt: false,
  initialState: windowsRecipe('windowsRT81'),
} as const satisfies PlatformProfile;
