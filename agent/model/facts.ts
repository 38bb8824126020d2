import type { DeviceState } from '../../sim/device-state.ts';
import type { DeviceFacts } from '../../sim/wire/schemas.ts';

/** The facts a device reports to the service with check-ins and results. */
export function factsOf(state: DeviceState): DeviceFacts {
  return {
    enrolled: state.management.enrolled,
    boot: state.boot,
    policyIds: state.management.policies.map((p) => p.id),
    apps: state.apps.filter((a) => a.installed).length,
    appKinds: [...new Set(state.apps.filter((a) => a.installed).map((a) => a.kind))].sort(),
    certificatesInstalled: state.certificates.filter((c) => c.installed).length,
    azureAd: state.azureAd.join,
    accounts: state.accounts.length,
    userFiles: state.files.length,
    workProfile: state.workProfile !== null,
  };
}
