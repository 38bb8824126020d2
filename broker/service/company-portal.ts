import type { DeviceIdentity } from '../../sim/device-identity.ts';
import type { AzureAdJoin } from '../../sim/device-state.ts';
import type { PlatformId } from '../../sim/platforms/types.ts';

/**
 * S-5: what a user may start from the Company Portal on their own device, where the platform
 * allows it. Each rule refuses an action for a kind of device; the platform's eligibility table
 * applies on top.
 */
export type SelfServiceAction = 'retire' | 'wipe' | 'sync';

const CORPORATE_ANDROID: readonly PlatformId[] = [
  'androidDedicated',
  'androidFullyManaged',
  'androidCorporateWorkProfile',
];

export const COMPANY_PORTAL_RULES: readonly {
  refuses: readonly SelfServiceAction[];
  applies: (identity: DeviceIdentity, azureAd: AzureAdJoin) => boolean;
  why: string;
}[] = [
  {
    refuses: ['retire', 'wipe'],
    applies: (i) => i.enrollmentType === 'automatedDeviceEnrollment',
    why: 'Apple ADE devices cannot be retired or wiped from the Company Portal',
  },
  {
    refuses: ['retire', 'wipe'],
    applies: (i) => CORPORATE_ANDROID.includes(i.platform),
    why: 'Android Enterprise corporate-owned devices cannot be retired or wiped from the Company Portal',
  },
  {
    refuses: ['retire'],
    applies: (i, azureAd) => i.platform === 'windows10' && azureAd === 'joined',
    why: 'Azure AD-joined Windows devices cannot be retired from the Company Portal',
  },
];

/** Null when allowed; otherwise why not. */
export function companyPortalRefusal(
  identity: DeviceIdentity,
  azureAd: AzureAdJoin,
  action: SelfServiceAction,
): string | null {
  return (
    COMPANY_PORTAL_RULES.find((r) => r.refuses.includes(action) && r.applies(identity, azureAd))?.why ?? null
  );
}
