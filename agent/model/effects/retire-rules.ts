import {
  DA,
  DA_AND_KNOX,
  IOS,
  KNOX,
  MAC,
  RT,
  WIN8,
  WIN8_AND_RT,
  WIN10,
  WINDOWS,
  WORK_PROFILE,
} from '../../../sim/platforms/groups.ts';
import type { PlatformId } from '../../../sim/platforms/types.ts';
import { ALL_DATA_REMOVED, type EffectRow } from './ops.ts';

/**
 * Retire ("remove company data"), per platform and data type: behavior-spec.md section 2, row by
 * row. Rows whose effect is "unchanged" are kept on purpose: they document what retire leaves
 * alone, and the behaviour matrix shows them.
 */

/** Every platform that can be retired (the eligibility table refuses the others). */
const RETIRABLE: readonly PlatformId[] = [...IOS, ...MAC, ...DA_AND_KNOX, ...WORK_PROFILE, ...WINDOWS];

export const RETIRE_RULES: readonly EffectRow[] = [
  // iOS/iPadOS
  {
    specId: 'R-IOS-1',
    dataType: 'Company Portal apps tied to the management profile',
    platforms: IOS,
    op: {
      op: 'apps',
      kinds: ['companyPortal', 'appStoreTakenOver'],
      app: 'removeUnlessKeepOnUnenroll',
      data: ALL_DATA_REMOVED,
    },
    note: '[reading] the "do not remove" exception applies to every app of the row',
  },
  {
    specId: 'R-IOS-2',
    dataType: 'Microsoft apps with app protection (MAM)',
    platforms: IOS,
    op: {
      op: 'apps',
      kinds: ['mamMicrosoft'],
      app: 'keep',
      data: { mamLocal: 'remove', mamExternal: 'lock' },
    },
  },
  { specId: 'R-IOS-3', dataType: 'Settings', platforms: IOS, op: { op: 'settings', effect: 'unenforce' } },
  {
    specId: 'R-IOS-4',
    dataType: 'Wi-Fi and VPN profiles',
    platforms: IOS,
    op: { op: 'networkProfiles', source: 'intune' },
  },
  {
    specId: 'R-IOS-5',
    dataType: 'Certificates',
    platforms: IOS,
    op: { op: 'certificates', source: 'intune', effect: 'removeAndRevoke' },
  },
  { specId: 'R-IOS-6', dataType: 'Management agent', platforms: IOS, op: { op: 'managementProfile' } },
  {
    specId: 'R-IOS-7',
    dataType: 'Email profiles',
    platforms: IOS,
    op: { op: 'emailProfiles', source: 'intune' },
  },
  { specId: 'R-IOS-7', dataType: 'Cached email', platforms: IOS, op: { op: 'cachedMail' } },
  { specId: 'R-IOS-8', dataType: 'Azure AD', platforms: IOS, op: { op: 'azureAdJoin' } },

  // Android device administrator and Samsung Knox Standard
  {
    specId: 'R-DA-1',
    dataType: 'Web links',
    platforms: DA_AND_KNOX,
    op: { op: 'apps', kinds: ['webLink'], app: 'remove', data: ALL_DATA_REMOVED },
  },
  {
    specId: 'R-DA-2',
    dataType: 'Unmanaged Google Play apps',
    platforms: DA_AND_KNOX,
    op: {
      op: 'apps',
      kinds: ['googlePlayUnmanaged'],
      app: 'keep',
      data: { mamLocal: 'remove', mamExternal: 'lock' },
    },
  },
  {
    specId: 'R-DA-3',
    dataType: 'Unmanaged line-of-business apps',
    platforms: DA,
    op: { op: 'unchanged' },
  },
  {
    specId: 'R-DA-3',
    dataType: 'Unmanaged line-of-business apps',
    platforms: KNOX,
    op: { op: 'apps', kinds: ['lobUnmanaged'], app: 'remove' },
    note: 'uninstalled with their local data; data outside the app (for example an SD card) stays',
  },
  {
    specId: 'R-DA-4',
    dataType: 'Managed Google Play apps',
    platforms: DA_AND_KNOX,
    op: {
      op: 'apps',
      kinds: ['googlePlayManaged'],
      app: 'keep',
      data: { appLocal: 'remove', mamLocal: 'remove', mamExternal: 'lock' },
    },
  },
  {
    specId: 'R-DA-5',
    dataType: 'Managed line-of-business apps',
    platforms: DA_AND_KNOX,
    op: {
      op: 'apps',
      kinds: ['lobManaged'],
      app: 'keep',
      data: { appLocal: 'remove', mamLocal: 'remove', mamExternal: 'lock' },
    },
  },
  {
    specId: 'R-DA-6',
    dataType: 'Settings',
    platforms: DA_AND_KNOX,
    op: { op: 'settings', effect: 'unenforce' },
  },
  {
    specId: 'R-DA-7',
    dataType: 'Wi-Fi and VPN profiles',
    platforms: DA_AND_KNOX,
    op: { op: 'networkProfiles', source: 'intune' },
  },
  {
    specId: 'R-DA-8',
    dataType: 'Certificates',
    platforms: DA,
    op: { op: 'certificates', source: 'intune', effect: 'revoke' },
  },
  {
    specId: 'R-DA-8',
    dataType: 'Certificates',
    platforms: KNOX,
    op: { op: 'certificates', source: 'intune', effect: 'removeAndRevoke' },
  },
  {
    specId: 'R-DA-9',
    dataType: 'Management agent',
    platforms: DA_AND_KNOX,
    op: { op: 'deviceAdminPrivilege' },
  },
  {
    specId: 'R-DA-10',
    dataType: 'Email profiles',
    platforms: DA,
    op: { op: 'unchanged' },
    note: 'not applicable: device administrator has no email profiles',
  },
  {
    specId: 'R-DA-10',
    dataType: 'Email profiles',
    platforms: KNOX,
    op: { op: 'emailProfiles', source: 'intune' },
  },
  { specId: 'R-DA-10', dataType: 'Cached email', platforms: KNOX, op: { op: 'cachedMail' } },
  { specId: 'R-DA-11', dataType: 'Azure AD', platforms: DA_AND_KNOX, op: { op: 'azureAdJoin' } },

  // Android Enterprise personally-owned work profile
  { specId: 'R-AE-1', dataType: 'Work profile', platforms: WORK_PROFILE, op: { op: 'workProfile' } },
  {
    specId: 'R-AE-1',
    dataType: 'Azure AD',
    platforms: WORK_PROFILE,
    op: { op: 'azureAdJoin' },
    note: '[reading] the registration lives in the work profile',
  },

  // macOS
  { specId: 'R-MAC-1', dataType: 'Settings', platforms: MAC, op: { op: 'settings', effect: 'unenforce' } },
  {
    specId: 'R-MAC-2',
    dataType: 'Wi-Fi and VPN profiles',
    platforms: MAC,
    op: { op: 'networkProfiles', source: 'intune' },
  },
  {
    specId: 'R-MAC-3',
    dataType: 'Certificates',
    platforms: MAC,
    op: { op: 'certificates', source: 'intune', effect: 'removeAndRevoke' },
  },
  { specId: 'R-MAC-4', dataType: 'Management agent', platforms: MAC, op: { op: 'managementProfile' } },
  {
    specId: 'R-MAC-5',
    dataType: 'Outlook',
    platforms: MAC,
    when: 'outlookConditionalAccess',
    op: { op: 'outlookNewMail' },
  },
  { specId: 'R-MAC-6', dataType: 'Azure AD', platforms: MAC, op: { op: 'azureAdJoin' } },
  {
    specId: 'R-1',
    dataType: 'Intune-assigned apps',
    platforms: MAC,
    op: { op: 'apps', kinds: ['managedApp'], app: 'keep', data: ALL_DATA_REMOVED },
    note: '[reading] the macOS table has no app row, so R-1 applies: their data is removed; personal apps and data stay',
  },

  // Windows
  {
    specId: 'R-WIN-1',
    dataType: 'Company apps',
    platforms: WIN8,
    op: { op: 'apps', kinds: ['companyApp'], app: 'keep', data: { efs: 'revokeKeys' } },
    note: '[reading] the seed names only the revoked EFS keys, so the model changes nothing else: the app and its unprotected data stay',
  },
  { specId: 'R-WIN-1', dataType: 'Company apps', platforms: RT, op: { op: 'unchanged' } },
  {
    specId: 'R-WIN-1',
    dataType: 'Company apps',
    platforms: WIN10,
    op: { op: 'apps', kinds: ['companyApp'], app: 'remove' },
  },
  { specId: 'R-WIN-1', dataType: 'Sideloading keys', platforms: WIN10, op: { op: 'sideloadingKeys' } },
  {
    specId: 'R-WIN-1',
    dataType: 'Microsoft 365 apps',
    platforms: WIN10,
    when: 'beforeWindows1709',
    op: { op: 'apps', kinds: ['microsoft365'], app: 'remove' },
    note: 'kept from 1709 on',
  },
  {
    specId: 'R-WIN-1',
    dataType: 'Win32 apps (Intune management extension)',
    platforms: WIN10,
    op: { op: 'unchanged' },
  },
  {
    specId: 'R-WIN-2',
    dataType: 'Settings',
    platforms: WINDOWS,
    op: { op: 'settings', effect: 'unenforce' },
  },
  {
    specId: 'R-WIN-3',
    dataType: 'Wi-Fi and VPN profiles',
    platforms: WINDOWS,
    op: { op: 'networkProfiles', source: 'intune' },
  },
  {
    specId: 'R-WIN-4',
    dataType: 'Certificates',
    platforms: WINDOWS,
    op: { op: 'certificates', source: 'intune', effect: 'removeAndRevoke' },
  },
  {
    specId: 'R-WIN-5',
    dataType: 'EFS-protected email',
    platforms: [...WIN8, ...WIN10],
    op: { op: 'efsMail' },
  },
  {
    specId: 'R-WIN-5',
    dataType: 'EFS-protected email',
    platforms: RT,
    op: { op: 'unchanged' },
    note: 'not supported',
  },
  {
    specId: 'R-WIN-5',
    dataType: 'Email profiles',
    platforms: WIN8_AND_RT,
    op: { op: 'unchanged' },
    note: '[reading] the seed names the removal of Intune-provisioned mail accounts for Windows 10 alone',
  },
  {
    specId: 'R-WIN-5',
    dataType: 'Email profiles',
    platforms: WIN10,
    op: { op: 'emailProfiles', source: 'intune' },
  },
  {
    specId: 'R-WIN-5',
    dataType: 'Cached email',
    platforms: WIN10,
    op: { op: 'cachedMail' },
    note: '[reading] goes with the Intune-provisioned mail accounts',
  },
  { specId: 'R-WIN-6', dataType: 'Azure AD', platforms: WIN8_AND_RT, op: { op: 'unchanged' } },
  { specId: 'R-WIN-6', dataType: 'Azure AD', platforms: WIN10, op: { op: 'azureAdJoin' } },
  {
    specId: 'R-WIN-7',
    dataType: 'Azure AD accounts',
    platforms: WIN10,
    when: 'joinedDuringSetup',
    op: { op: 'azureAdAccounts' },
  },

  // General rules, every platform that can be retired
  { specId: 'R-1', dataType: 'MDM policies', platforms: RETIRABLE, op: { op: 'policies' } },
  { specId: 'R-1', dataType: 'MDM enrollment', platforms: RETIRABLE, op: { op: 'mdmEnrollment' } },
  {
    specId: 'R-1',
    dataType: 'Email profiles',
    platforms: MAC,
    op: { op: 'emailProfiles', source: 'intune' },
    note: "[reading] where a platform's table names email it decides (R-IOS-7, R-DA-10, R-WIN-5: Windows 8.1 and RT keep Intune mail accounts; the work profile goes whole, R-AE-1); macOS's is silent, so R-1 applies",
  },
  { specId: 'R-3', dataType: 'Personal apps', platforms: RETIRABLE, op: { op: 'unchanged' } },
  { specId: 'R-3', dataType: 'User files', platforms: RETIRABLE, op: { op: 'unchanged' } },
  { specId: 'R-3', dataType: 'User accounts', platforms: RETIRABLE, op: { op: 'unchanged' } },
];
