import { APPLE_CHECK_IN } from './check-in-schedules.ts';
import {
  COMPANY_PORTAL_BYOD,
  MAM_APP_NAMES,
  MOBILE_PERSONAL_APPS,
  mode,
  PHONE_WIPE_MS,
  recipe,
} from './recipe-parts.ts';
import type { PlatformProfile } from './types.ts';

export const profile = {
  id: 'ios',
  displayName: 'iOS/iPadOS',
  family: 'apple',
  operatingSystem: 'iOS',
  pushChannel: 'APNs',
  checkIn: APPLE_CHECK_IN,
  enrollmentModes: [
    { ...COMPANY_PORTAL_BYOD, weight: 4 },
    mode('automatedDeviceEnrollment', 'appleBulkWithUser', 'company', { weight: 4 }),
    mode('appleUserEnrollment', 'appleUserEnrollment', 'personal', { weight: 2 }), // W-3
  ],
  osReleases: [
    { version: '16.7.10', build: null, label: 'iOS 16.7.10' },
    { version: '17.6.1', build: null, label: 'iOS 17.6.1' },
    { version: '18.1', build: null, label: 'iOS 18.1' },
  ],
  models: [
    { manufacturer: 'Apple', model: 'iPhone 15', deviceType: 'iPhone' },
    { manufacturer: 'Apple', model: 'iPhone 14 Pro', deviceType: 'iPhone' },
    { manufacturer: 'Apple', model: 'iPhone SE (3rd generation)', deviceType: 'iPhone' },
    { manufacturer: 'Apple', model: 'iPad Air (5th generation)', deviceType: 'iPad' },
  ],
  wipeDurationMs: PHONE_WIPE_MS,
  deleteRemoval: 'retire',
  cleanupExempt: false,
  initialState: recipe({
    apps: [
      MOBILE_PERSONAL_APPS,
      {
        kind: 'companyPortal',
        count: [1, 3],
        names: ['Contoso Expenses', 'Contoso Sales', 'Cisco Webex', 'Salesforce'],
        data: ['appLocal'],
        keepOnUnenrollChance: 0.25,
      },
      {
        kind: 'appStoreTakenOver',
        count: [0, 1],
        names: ['Zoom', 'Slack'],
        data: ['appLocal'],
        keepOnUnenrollChance: 0.25,
      },
      {
        kind: 'mamMicrosoft',
        count: [1, 3],
        names: MAM_APP_NAMES,
        data: ['appLocal', 'mamLocal', 'mamExternal'],
      },
    ],
    certificates: { intune: [1, 2], user: [0, 1] },
    networkProfiles: { intune: [1, 2], user: [0, 2] },
    emailProfiles: { intune: [1, 1], user: [0, 1] },
    settings: [3, 6],
    files: [5, 20],
    policies: [2, 6],
    cachedMessages: [50, 800],
    managementProfile: true,
    esimChance: 0.5,
  }),
} as const satisfies PlatformProfile;
