import { MINUTE_MS } from '../time-units.ts';
import type {
  AppRecipe,
  ContainerRecipe,
  EnrollmentMode,
  HardwareModel,
  OsRelease,
  Range,
  StateRecipe,
} from './types.ts';

/** Pieces several platform profiles share; each profile file still states its own recipe. */

export const NONE: Range = [0, 0];

/** A recipe with nothing in it; each platform states only what its devices carry. */
const EMPTY_RECIPE: StateRecipe = {
  apps: [],
  certificates: {},
  networkProfiles: {},
  emailProfiles: {},
  settings: NONE,
  files: NONE,
  accounts: 'phone',
  policies: NONE,
  filesOutsideProfile: NONE,
  cachedMessages: NONE,
  efsProtectedMessages: NONE,
  managementProfile: false,
  deviceAdminPrivilege: false,
  sideloadingKeys: false,
  outlookConditionalAccessChance: 0,
  esimChance: 0,
  bitLockerChance: 0,
  autologonChance: 0,
  workProfile: null,
};

export function recipe(parts: Partial<StateRecipe>): StateRecipe {
  return { ...EMPTY_RECIPE, ...parts };
}

/** An enrollment mode; v1.0 shows the same deviceEnrollmentType unless told otherwise. */
export function mode(
  type: EnrollmentMode['type'],
  graphEnrollmentType: EnrollmentMode['graphEnrollmentType'],
  ownership: EnrollmentMode['ownership'],
  more: Partial<EnrollmentMode> = {},
): EnrollmentMode {
  return {
    type,
    graphEnrollmentType,
    graphEnrollmentTypeV1: graphEnrollmentType,
    ownership,
    azureAd: 'registered',
    joinedDuringSetup: false,
    domainJoined: false,
    weight: 1,
    ...more,
  };
}

/** Enrollment through the Company Portal on a personal phone, tablet or Mac. */
export const COMPANY_PORTAL_BYOD = mode('companyPortal', 'userEnrollment', 'personal');

export const MOBILE_PERSONAL_APPS: AppRecipe = {
  kind: 'personal',
  count: [2, 6],
  names: ['Spotify', 'WhatsApp', 'Strava', 'Duolingo', 'Instagram', 'Headspace', 'Kindle', 'Waze'],
  data: ['appLocal'],
};

export const MAM_APP_NAMES = [
  'Microsoft Outlook',
  'Microsoft Teams',
  'Microsoft Word',
  'Microsoft Edge',
] as const;

export const LOB_APP_NAMES = [
  'Contoso Expenses',
  'Contoso Field Service',
  'Fabrikam Timesheets',
  'Northwind Inventory',
];

/** Android device administrator and Knox share the seed's table (R-DA-1..11). */
export function androidAdminRecipe(email: boolean): StateRecipe {
  return recipe({
    apps: [
      MOBILE_PERSONAL_APPS,
      { kind: 'webLink', count: [1, 2], names: ['Contoso Intranet', 'HR Portal', 'IT Help'], data: [] },
      {
        kind: 'googlePlayUnmanaged',
        count: [1, 2],
        names: MAM_APP_NAMES,
        data: ['appLocal', 'mamLocal', 'mamExternal'],
      },
      { kind: 'lobUnmanaged', count: [1, 1], names: LOB_APP_NAMES, data: ['appLocal', 'sdCard'] },
      {
        kind: 'googlePlayManaged',
        count: [1, 2],
        names: ['Microsoft Authenticator', 'Microsoft Teams', 'Adobe Acrobat'],
        data: ['appLocal', 'mamExternal'],
      },
      { kind: 'lobManaged', count: [1, 1], names: LOB_APP_NAMES, data: ['appLocal', 'mamExternal'] },
    ],
    certificates: { intune: [1, 2], user: [0, 1] },
    networkProfiles: { intune: [1, 2], user: [0, 2] },
    // R-DA-10: email profiles are not supported on device administrator; Knox has them.
    emailProfiles: email ? { intune: [1, 1] } : {},
    settings: [3, 6],
    files: [3, 12],
    policies: [2, 5],
    cachedMessages: email ? [20, 400] : NONE,
    deviceAdminPrivilege: true,
  });
}

/** The work profile of personally-owned and corporate-owned Android Enterprise devices. */
export const WORK_PROFILE_CONTAINER: ContainerRecipe = {
  apps: [
    {
      kind: 'googlePlayManaged',
      count: [2, 4],
      names: ['Microsoft Outlook', 'Microsoft Teams', 'Microsoft Edge', 'Microsoft OneDrive'],
      data: ['appLocal', 'mamLocal'],
    },
    { kind: 'lobManaged', count: [0, 1], names: LOB_APP_NAMES, data: ['appLocal'] },
  ],
  certificates: { intune: [1, 2] },
  networkProfiles: { intune: [1, 2] },
  emailProfiles: { intune: [1, 1] },
  settings: [2, 4],
  files: [1, 5],
};

export const ANDROID_MODELS: readonly HardwareModel[] = [
  { manufacturer: 'Google', model: 'Pixel 8', deviceType: 'android' },
  { manufacturer: 'Google', model: 'Pixel 7a', deviceType: 'android' },
  { manufacturer: 'motorola', model: 'moto g84', deviceType: 'android' },
  { manufacturer: 'Nokia', model: 'Nokia G42', deviceType: 'android' },
];

export const SAMSUNG_MODELS: readonly HardwareModel[] = [
  { manufacturer: 'samsung', model: 'SM-S911B', deviceType: 'android' },
  { manufacturer: 'samsung', model: 'SM-A546B', deviceType: 'android' },
  { manufacturer: 'samsung', model: 'SM-X710', deviceType: 'android' },
];

export const ANDROID_RELEASES: readonly OsRelease[] = [
  { version: '12', build: null, label: 'Android 12' },
  { version: '13', build: null, label: 'Android 13' },
  { version: '14', build: null, label: 'Android 14' },
];

/** A fixed Android Enterprise mode: one enrollment mode, company owned unless stated. */
export function androidEnterpriseMode(
  graphEnrollmentType: EnrollmentMode['graphEnrollmentType'],
  ownership: EnrollmentMode['ownership'] = 'company',
): readonly EnrollmentMode[] {
  return [
    mode('androidEnterprise', graphEnrollmentType, ownership, {
      // /v1.0's deviceEnrollmentType has no Android Enterprise values: an evolvable enum shows them as
      // unknownFutureValue there; /beta names them.
      graphEnrollmentTypeV1:
        graphEnrollmentType === 'userEnrollment' ? 'userEnrollment' : 'unknownFutureValue',
      azureAd: graphEnrollmentType === 'androidEnterpriseDedicatedDevice' ? 'none' : 'registered',
    }),
  ];
}

/** Factory resets: phones minutes, PCs most of an hour (the reset itself, after the command arrives). */
export const PHONE_WIPE_MS: Range = [3 * MINUTE_MS, 10 * MINUTE_MS];
export const MAC_WIPE_MS: Range = [5 * MINUTE_MS, 15 * MINUTE_MS];
export const PC_WIPE_MS: Range = [25 * MINUTE_MS, 70 * MINUTE_MS];

/** The same hardware, reported with another Graph deviceType (Android Enterprise modes). */
export function asDeviceType(models: readonly HardwareModel[], deviceType: HardwareModel['deviceType']) {
  return models.map((m) => ({ ...m, deviceType }));
}

const AE_MANAGED_APPS: AppRecipe = {
  kind: 'googlePlayManaged',
  count: [2, 5],
  names: ['Microsoft Outlook', 'Microsoft Teams', 'Microsoft Edge', 'Managed Home Screen', 'Contoso Scanner'],
  data: ['appLocal'],
};

/** Android Enterprise corporate modes: the whole device is the company's. */
export function androidEnterpriseCorporateRecipe(
  kind: 'dedicated' | 'fullyManaged' | 'corporateWorkProfile',
): StateRecipe {
  const personalSide = kind === 'corporateWorkProfile';
  return recipe({
    apps: personalSide ? [MOBILE_PERSONAL_APPS] : [AE_MANAGED_APPS],
    certificates: personalSide ? {} : { intune: [1, 2] },
    networkProfiles: personalSide ? { user: [0, 2] } : { intune: [1, 2] },
    emailProfiles: kind === 'fullyManaged' ? { intune: [1, 1] } : {},
    settings: [3, 6],
    files: kind === 'dedicated' ? NONE : [2, 10],
    accounts: kind === 'dedicated' ? 'kiosk' : 'phone',
    policies: [3, 8],
    cachedMessages: kind === 'fullyManaged' ? [20, 300] : NONE,
    workProfile: personalSide ? WORK_PROFILE_CONTAINER : null,
  });
}
