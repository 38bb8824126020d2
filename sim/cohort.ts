import type { AppKind, DataLocation, DeviceConditions, Source } from './device-state.ts';
import type { EnrollmentType, Ownership, PlatformId } from './platforms/types.ts';

/** A cohort: `count` devices of one platform, described as a QA engineer or a load test would. */
export interface CohortSpec {
  /** Names the cohort in reports and derives its seed; unnamed, it is labelled by its platform (`generator.ts` cohortNames). */
  name?: string;
  platform: PlatformId;
  enrollmentType?: EnrollmentType;
  count: number;
  /** A release of the platform: its version ("17.6.1", "10.0.16299.2166") or label ("1709"). */
  osVersion?: string;
  ownership?: Ownership;
  /** The primary user's UPN for every device of the cohort; generated when absent. */
  user?: string;
  overrides?: StateOverrides;
}

/** Changes to the generated initial state: faults, conditions, extra apps, profiles, certificates, settings. */
export interface StateOverrides {
  conditions?: Partial<DeviceConditions>;
  bitLocker?: boolean;
  recoveryEnvironmentHealthy?: boolean;
  esimDataPlan?: boolean | null;
  outlookConditionalAccess?: boolean;
  apps?: readonly { kind: AppKind; name: string; keepOnUnenroll?: boolean; data?: readonly DataLocation[] }[];
  emailProfiles?: readonly { account: string; source?: Source }[];
  certificates?: readonly { subject: string; source?: Source }[];
  networkProfiles?: readonly { name: string; kind?: 'wifi' | 'vpn'; source?: Source }[];
  /** Not enforced unless said: a value other than the default is one the user changed (W-KEEP-10). */
  settings?: readonly { key: string; value: string; defaultValue: string; enforced?: boolean }[];
}
