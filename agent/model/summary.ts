import type { DeviceState } from '../../sim/device-state.ts';

/** A one-line-per-fact digest of a DeviceState, for the demo, reports and quick assertions. */
export interface StateSummary {
  apps: number;
  appDataPresent: number;
  appDataUnusable: number;
  certificatesInstalled: number;
  certificatesRevoked: number;
  networkProfiles: number;
  emailProfiles: number;
  cachedMessages: number;
  settingsEnforced: number;
  policies: number;
  enrolled: boolean;
  azureAd: string;
  accounts: number;
  userFiles: number;
  workProfile: boolean;
  boot: string;
}

export function summarize(state: DeviceState): StateSummary {
  const data = state.apps.flatMap((a) => a.data);
  return {
    apps: state.apps.filter((a) => a.installed).length,
    appDataPresent: data.filter((d) => d.status === 'present').length,
    appDataUnusable: data.filter((d) => d.status !== 'present').length,
    certificatesInstalled: state.certificates.filter((c) => c.installed).length,
    certificatesRevoked: state.certificates.filter((c) => c.revoked).length,
    networkProfiles: state.networkProfiles.length,
    emailProfiles: state.emailProfiles.length,
    cachedMessages: state.mail.cachedMessages + state.mail.efsProtectedMessages,
    settingsEnforced: state.settings.filter((s) => s.enforced).length,
    policies: state.management.policies.length,
    enrolled: state.management.enrolled,
    azureAd: state.azureAd.join,
    accounts: state.accounts.length,
    userFiles: state.files.length,
    workProfile: state.workProfile !== null,
    boot: state.boot,
  };
}
