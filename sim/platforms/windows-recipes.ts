import { mode, NONE, recipe } from './recipe-parts.ts';
import type { AppRecipe, EnrollmentMode, StateRecipe } from './types.ts';

/** What Windows 8.1, RT 8.1, RT and 10 devices carry; each profile picks its variant. */

const COMPANY_APPS: AppRecipe = {
  kind: 'companyApp',
  count: [1, 3],
  names: ['Contoso Expenses', 'Contoso CRM', 'Fabrikam Timesheets'],
  data: ['appLocal'],
};

const USER_STORE_APPS: AppRecipe = {
  kind: 'storeUser',
  count: [1, 3],
  names: ['Netflix', 'Spotify', 'WhatsApp', 'Microsoft To Do'],
  data: ['appLocal'],
};

const OEM_STORE_APPS: AppRecipe = {
  kind: 'storeOem',
  count: [1, 2],
  names: ['Dell SupportAssist', 'Lenovo Vantage', 'HP Support Assistant'],
  data: ['appLocal'],
};

const USER_WIN32_APPS: AppRecipe = {
  kind: 'win32User',
  count: [1, 3],
  names: ['7-Zip', 'VLC media player', 'Notepad++', 'GIMP'],
  data: ['appLocal'],
};

const OEM_WIN32_APPS: AppRecipe = {
  kind: 'win32Oem',
  count: [1, 2],
  names: ['Realtek Audio Console', 'Intel Graphics Command Center', 'Dell Power Manager'],
  data: ['appLocal'],
};

export type WindowsVariant = 'windows81' | 'windowsRT81' | 'windowsRT' | 'windows10';

export function windowsRecipe(variant: WindowsVariant): StateRecipe {
  const win32 = variant === 'windows81' || variant === 'windows10'; // RT runs no Win32 apps
  const efs = variant === 'windows81' || variant === 'windowsRT81'; // R-WIN-1, R-WIN-5
  const apps: AppRecipe[] = [
    { ...COMPANY_APPS, data: efs ? ['appLocal', 'efs'] : ['appLocal'] },
    USER_STORE_APPS,
    OEM_STORE_APPS,
  ];
  if (win32) apps.push(USER_WIN32_APPS, OEM_WIN32_APPS);
  if (variant === 'windows10') {
    apps.push(
      {
        kind: 'microsoft365',
        count: [1, 1],
        names: ['Microsoft 365 Apps for enterprise'],
        data: ['appLocal'],
      },
      {
        kind: 'win32Ime',
        count: [1, 2],
        names: ['Contoso VPN Client', 'Zoom Workplace', 'Google Chrome'],
        data: ['appLocal'],
      },
    );
  }
  return recipe({
    apps,
    certificates: { intune: [1, 3], user: [0, 1] },
    networkProfiles: { intune: [1, 2], user: [0, 2] },
    emailProfiles: { intune: [1, 1], user: [0, 1] },
    settings: [4, 8],
    files: [10, 40],
    accounts: 'windows',
    policies: [4, 10],
    filesOutsideProfile: [1, 5],
    cachedMessages: [50, 900],
    efsProtectedMessages: variant === 'windowsRT' ? NONE : [5, 60],
    sideloadingKeys: true,
    bitLockerChance: variant === 'windows10' ? 0.6 : 0.2,
    autologonChance: variant === 'windows10' ? 0.05 : 0,
  });
}

/** Windows 8.1 and RT enroll through a work account added to the PC (Azure AD registered). */
export const WORKPLACE_JOIN: EnrollmentMode = mode('workplaceJoin', 'userEnrollment', 'personal');
