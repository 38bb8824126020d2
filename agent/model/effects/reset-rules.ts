import type { ResetVariant } from '../../../sim/device-state.ts';
import {
  APPLE,
  DA_AND_KNOX,
  IOS,
  MAC,
  WIN10,
  WINDOWS,
  WITH_WORK_PROFILE,
} from '../../../sim/platforms/groups.ts';
import { ALL_DATA_REMOVED, type EffectRow } from './ops.ts';

/**
 * Wipe (behavior-spec.md section 1) and Fresh Start (section 4): what each kind of reset does when
 * it completes. Rows run in order; conditions read the state before the reset.
 */

const OEM_APPS = ['storeOem', 'win32Oem'] as const;

/** R-WIN-7's safe-mode access to local data belongs to the state before any reset. */
const safeModeAccessEnds = (specId: string): EffectRow => ({
  specId,
  dataType: 'Local data via safe-mode admin',
  platforms: WIN10,
  op: { op: 'safeModeLocalData' },
  note: '[design] the access a retire leaves (R-WIN-7) ends with any reset',
});

/** A row documenting what a reset leaves as it was, on every platform the reset runs on. */
const unchanged = (row: Pick<EffectRow, 'specId' | 'dataType'>): EffectRow => ({
  ...row,
  platforms: 'all',
  op: { op: 'unchanged' },
});

/** W-1: the device returns to factory state and leaves management. */
export const FULL_WIPE_RULES: readonly EffectRow[] = [
  {
    specId: 'W-1',
    dataType: 'All apps',
    platforms: 'all',
    op: {
      op: 'apps',
      kinds: [
        'companyPortal',
        'appStoreTakenOver',
        'mamMicrosoft',
        'webLink',
        'googlePlayUnmanaged',
        'lobUnmanaged',
        'googlePlayManaged',
        'lobManaged',
        'companyApp',
        'microsoft365',
        'win32Ime',
        'storeUser',
        'win32User',
        'managedApp',
        'personal',
      ],
      app: 'remove',
      data: ALL_DATA_REMOVED,
    },
  },
  {
    specId: 'W-1',
    dataType: 'OEM-installed apps',
    platforms: WINDOWS,
    op: { op: 'apps', kinds: OEM_APPS, app: 'keep', data: ALL_DATA_REMOVED },
    note: 'W-1: apps of the factory image come back from it with none of their former data; Fresh Start (F-1) is what removes them',
  },
  {
    specId: 'W-1',
    dataType: 'Certificates',
    platforms: 'all',
    op: { op: 'certificates', source: 'all', effect: 'remove' },
  },
  {
    specId: 'W-1',
    dataType: 'Wi-Fi and VPN profiles',
    platforms: 'all',
    op: { op: 'networkProfiles', source: 'all' },
  },
  { specId: 'W-1', dataType: 'Email profiles', platforms: 'all', op: { op: 'emailProfiles', source: 'all' } },
  { specId: 'W-1', dataType: 'Cached email', platforms: 'all', op: { op: 'cachedMail' } },
  { specId: 'W-1', dataType: 'EFS-protected email', platforms: WINDOWS, op: { op: 'efsMail' } },
  { specId: 'W-1', dataType: 'Outlook', platforms: MAC, op: { op: 'outlook' } },
  { specId: 'W-1', dataType: 'Settings', platforms: 'all', op: { op: 'settings', effect: 'resetToDefault' } },
  { specId: 'W-1', dataType: 'MDM policies', platforms: 'all', op: { op: 'policies' } },
  { specId: 'W-1', dataType: 'Management agent', platforms: APPLE, op: { op: 'managementProfile' } },
  { specId: 'W-1', dataType: 'Management agent', platforms: DA_AND_KNOX, op: { op: 'deviceAdminPrivilege' } },
  { specId: 'W-1', dataType: 'Sideloading keys', platforms: WINDOWS, op: { op: 'sideloadingKeys' } },
  { specId: 'W-1', dataType: 'Work profile', platforms: WITH_WORK_PROFILE, op: { op: 'workProfile' } },
  { specId: 'W-1', dataType: 'Azure AD', platforms: 'all', op: { op: 'azureAdJoin' } },
  { specId: 'W-1', dataType: 'Domain join', platforms: WINDOWS, op: { op: 'domainJoin' } },
  { specId: 'W-1', dataType: 'User accounts', platforms: 'all', op: { op: 'accounts', effect: 'removeAll' } },
  {
    specId: 'W-1',
    dataType: 'User files',
    platforms: 'all',
    op: { op: 'files', areas: ['userFolders', 'outsideProfile'] },
  },
  { specId: 'W-1', dataType: 'Autologon user', platforms: WINDOWS, op: { op: 'autologon' } },
  { specId: 'W-1', dataType: 'MDM enrollment', platforms: 'all', op: { op: 'mdmEnrollment' } },
  { specId: 'W-1', dataType: 'Boot', platforms: 'all', op: { op: 'boot', to: 'setup' } },
  {
    specId: 'W-1',
    dataType: 'eSIM data plan',
    platforms: IOS,
    when: 'esimDataPlanNotKept',
    op: { op: 'esimDataPlan' },
    note: '[later: devices-wipe 2022] kept when persistEsimDataPlan is true or absent',
  },
  {
    specId: 'W-1',
    dataType: 'Firmware unlock code',
    platforms: MAC,
    op: { op: 'firmwareUnlockCode' },
    note: '[design] set as the wipe completes, so a rolled-back wipe leaves none',
  },
  safeModeAccessEnds('W-1'),
];

/**
 * [design] keepEnrollmentData alone (the CSP's doWipePersistProvisionedData): as W-1, except that
 * MDM enrollment is kept and the device stays managed.
 */
export const KEEP_ENROLLMENT_WIPE_RULES: readonly EffectRow[] = FULL_WIPE_RULES.map((row) =>
  row.op.op === 'mdmEnrollment'
    ? { ...row, op: { op: 'unchanged' }, note: '[design] keepEnrollmentData: MDM enrollment kept' }
    : row,
);

/** W-2 with W-KEEP-1..10: Windows 10 1709+ keep enrollment state and user account. */
export const KEEP_USER_DATA_WIPE_RULES: readonly EffectRow[] = [
  unchanged({ specId: 'W-KEEP-1', dataType: 'User accounts' }),
  unchanged({ specId: 'W-KEEP-2', dataType: 'Domain join' }),
  unchanged({ specId: 'W-KEEP-2', dataType: 'Azure AD' }),
  unchanged({ specId: 'W-KEEP-3', dataType: 'MDM enrollment' }),
  unchanged({ specId: 'W-KEEP-4', dataType: 'OEM-installed apps' }),
  unchanged({ specId: 'W-KEEP-5', dataType: 'User profile' }),
  unchanged({ specId: 'W-KEEP-6', dataType: 'User data outside the profile' }),
  unchanged({ specId: 'W-KEEP-7', dataType: 'Autologon user' }),
  {
    specId: 'W-KEEP-8',
    dataType: 'User files',
    platforms: 'all',
    op: { op: 'files', areas: ['userFolders'] },
  },
  {
    specId: 'W-KEEP-9',
    dataType: 'User-installed apps',
    platforms: 'all',
    op: { op: 'apps', kinds: ['storeUser', 'win32User'], app: 'remove' },
  },
  {
    specId: 'W-KEEP-10',
    dataType: 'Settings',
    platforms: 'all',
    op: { op: 'settings', effect: 'resetToDefault' },
  },
  { specId: 'W-2', dataType: 'MDM policies', platforms: 'all', op: { op: 'policies' } },
  {
    specId: 'W-2',
    dataType: 'Intune-installed apps',
    platforms: 'all',
    op: { op: 'apps', kinds: ['companyApp', 'microsoft365', 'win32Ime'], app: 'remove' },
    note: '[reading] the OS returns to its default state; Intune installs them again (W-5)',
  },
  { specId: 'W-2', dataType: 'Sideloading keys', platforms: 'all', op: { op: 'sideloadingKeys' } },
  {
    specId: 'W-2',
    dataType: 'Certificates',
    platforms: 'all',
    op: { op: 'certificates', source: 'intune', effect: 'remove' },
    note: "[reading] Intune's go with the MDM policies (it provisions them again, W-5); the user's stay in the kept profile",
  },
  {
    specId: 'W-2',
    dataType: 'Wi-Fi and VPN profiles',
    platforms: 'all',
    op: { op: 'networkProfiles', source: 'all' },
  },
  {
    specId: 'W-2',
    dataType: 'Email profiles',
    platforms: 'all',
    op: { op: 'emailProfiles', source: 'intune' },
    note: "[reading] the user's own accounts live in the kept profile (W-KEEP-5)",
  },
  { specId: 'W-2', dataType: 'Cached email', platforms: 'all', op: { op: 'cachedMail' } },
  { specId: 'W-2', dataType: 'EFS-protected email', platforms: 'all', op: { op: 'efsMail' } },
  { specId: 'W-2', dataType: 'Boot', platforms: 'all', op: { op: 'boot', to: 'normal' } },
  safeModeAccessEnds('W-2'),
];

/** F-1 (both ways): every app, OEM ones included, and settings. */
const FRESH_START_COMMON: readonly EffectRow[] = [
  {
    specId: 'F-1',
    dataType: 'All apps',
    platforms: 'all',
    op: { op: 'apps', kinds: 'all', app: 'remove', data: ALL_DATA_REMOVED },
  },
  { specId: 'F-1', dataType: 'Settings', platforms: 'all', op: { op: 'settings', effect: 'resetToDefault' } },
  { specId: 'F-1', dataType: 'Sideloading keys', platforms: 'all', op: { op: 'sideloadingKeys' } },
  {
    specId: 'F-1',
    dataType: 'MDM policies',
    platforms: 'all',
    op: { op: 'policies' },
    note: '[reading] re-applied at the next check-in while the device stays managed',
  },
  { specId: 'F-1', dataType: 'Boot', platforms: 'all', op: { op: 'boot', to: 'normal' } },
  safeModeAccessEnds('F-1'),
];

/** F-2: retain user data — still Azure AD joined, the home folder kept. */
export const FRESH_START_KEEP_USER_DATA_RULES: readonly EffectRow[] = [
  ...FRESH_START_COMMON,
  unchanged({ specId: 'F-2', dataType: 'Azure AD' }),
  unchanged({ specId: 'F-2', dataType: 'User files' }),
  unchanged({ specId: 'F-2', dataType: 'User profile' }),
];

/** F-3: completed-setup state with the built-in administrator; personal devices leave Azure AD and MDM. */
export const FRESH_START_RULES: readonly EffectRow[] = [
  ...FRESH_START_COMMON,
  {
    specId: 'F-3',
    dataType: 'User accounts',
    platforms: 'all',
    op: { op: 'accounts', effect: 'builtinAdministratorOnly' },
  },
  {
    specId: 'F-3',
    dataType: 'User files',
    platforms: 'all',
    op: { op: 'files', areas: ['userFolders', 'outsideProfile'] },
  },
  { specId: 'F-3', dataType: 'Autologon user', platforms: 'all', op: { op: 'autologon' } },
  { specId: 'F-3', dataType: 'Azure AD', platforms: 'all', when: 'personal', op: { op: 'azureAdJoin' } },
  {
    specId: 'F-3',
    dataType: 'MDM enrollment',
    platforms: 'all',
    when: 'personal',
    op: { op: 'mdmEnrollment' },
  },
  {
    specId: 'F-3',
    dataType: 'Certificates',
    platforms: 'all',
    when: 'personal',
    op: { op: 'certificates', source: 'all', effect: 'remove' },
  },
  {
    specId: 'F-3',
    dataType: 'Wi-Fi and VPN profiles',
    platforms: 'all',
    when: 'personal',
    op: { op: 'networkProfiles', source: 'all' },
  },
  { specId: 'F-3', dataType: 'Email profiles', platforms: 'all', op: { op: 'emailProfiles', source: 'all' } },
  { specId: 'F-3', dataType: 'Cached email', platforms: 'all', op: { op: 'cachedMail' } },
  { specId: 'F-3', dataType: 'EFS-protected email', platforms: 'all', op: { op: 'efsMail' } },
];

export const RESET_RULES: Readonly<Record<ResetVariant, readonly EffectRow[]>> = {
  full: FULL_WIPE_RULES,
  keepEnrollment: KEEP_ENROLLMENT_WIPE_RULES,
  keepUserData: KEEP_USER_DATA_WIPE_RULES,
  freshStartKeepUserData: FRESH_START_KEEP_USER_DATA_RULES,
  freshStart: FRESH_START_RULES,
};
