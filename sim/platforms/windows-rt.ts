import { WINDOWS_8_CHECK_IN } from './check-in-schedules.ts';
import { PC_WIPE_MS } from './recipe-parts.ts';
import type { PlatformProfile } from './types.ts';
import { WORKPLACE_JOIN, windowsRecipe } from './windows-recipes.ts';

export const profile = {
  id: 'windowsRT',
  displayName: 'Windows RT',
  family: 'windows',
  operatingSystem: 'Windows',
  pushChannel: 'WNS',
  checkIn: WINDOWS_8_CHECK_IN,
  enrollmentModes: [WORKPLACE_JOIN],
  osReleases: [{ version: '6.2.9200.16384', build: 9200, label: 'RT' }],
  models: [
    { manufacturer: 'Microsoft Corporation', model: 'Surface with Windows RT', deviceType: 'windowsRT' },
  ],
  wipeDurationMs: PC_WIPE_MS,
  deleteRemoval: 'retire',
  cleanupExempt: false,
  initialState: windowsRecipe('windowsRT'),
} as const satisfies PlatformProfile;
