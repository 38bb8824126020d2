import { WINDOWS_8_CHECK_IN } from './check-in-schedules.ts';
import { PC_WIPE_MS } from './recipe-parts.ts';
import type { PlatformProfile } from './types.ts';
import { WORKPLACE_JOIN, windowsRecipe } from './windows-recipes.ts';

export const profile = {
  id: 'windows81',
  displayName: 'Windows 8.1',
  family: 'windows',
  operatingSystem: 'Windows',
  pushChannel: 'WNS',
  checkIn: WINDOWS_8_CHECK_IN,
  enrollmentModes: [WORKPLACE_JOIN, { ...WORKPLACE_JOIN, ownership: 'company' }],
  osReleases: [{ version: '6.3.9600.20778', build: 9600, label: '8.1' }],
  models: [
    { manufacturer: 'Dell Inc.', model: 'Latitude E7450', deviceType: 'desktop' },
    { manufacturer: 'LENOVO', model: 'ThinkPad T450', deviceType: 'desktop' },
  ],
  wipeDurationMs: PC_WIPE_MS,
  deleteRemoval: 'retire',
  cleanupExempt: false,
  initialState: windowsRecipe('windows81'),
} as const satisfies PlatformProfile;
