import type { AppKind, DataLocation, Source } from '../device-state.ts';

export const PLATFORM_IDS = [
  'ios',
  'macos',
  'androidDeviceAdmin',
  'androidKnox',
  'androidWorkProfile',
  'androidDedicated',
  'androidFullyManaged',
  'androidCorporateWorkProfile',
  'windows81',
  'windowsRT81',
  'windowsRT',
  'windows10',
] as const;
export type PlatformId = (typeof PLATFORM_IDS)[number];

/** How a device enrolled; the spec's rules hinge on it (W-3, D-7, R-WIN-7, S-5). */
export const ENROLLMENT_TYPES = [
  'companyPortal', // user-driven enrollment through the Company Portal (BYOD or corporate)
  'automatedDeviceEnrollment', // Apple ADE (DEP) through Apple Business Manager
  'appleUserEnrollment', // Apple User Enrollment (W-3)
  'androidEnterprise', // Android Enterprise mode fixed by the platform (work profile, dedicated, …)
  'azureAdJoin', // Windows: joined to Azure AD in the out-of-box setup, enrolled automatically
  'hybridAzureAdJoin', // Windows: domain joined, auto-enrolled by group policy
  'workplaceJoin', // Windows: a work account added to a personal PC (Azure AD registered)
] as const;
export type EnrollmentType = (typeof ENROLLMENT_TYPES)[number];

export type Ownership = 'company' | 'personal';

/** Graph's deviceEnrollmentType values that fleetsim emits. */
export type GraphEnrollmentType =
  | 'userEnrollment'
  | 'appleBulkWithUser'
  | 'appleUserEnrollment'
  | 'windowsAzureADJoin'
  | 'windowsAutoEnrollment'
  | 'androidEnterpriseDedicatedDevice'
  | 'androidEnterpriseFullyManaged'
  | 'androidEnterpriseCorporateWorkProfile';

/** Graph's (beta) deviceType values that fleetsim emits. */
export type GraphDeviceType =
  | 'iPhone'
  | 'iPad'
  | 'macMDM'
  | 'android'
  | 'androidForWork'
  | 'androidEnterprise'
  | 'windowsRT'
  | 'desktop';

export interface EnrollmentMode {
  type: EnrollmentType;
  /** Graph's deviceEnrollmentType on /beta. */
  graphEnrollmentType: GraphEnrollmentType;
  /** The value /v1.0 shows, where v1.0's enum lacks the beta value. */
  graphEnrollmentTypeV1: GraphEnrollmentType | 'unknownFutureValue';
  ownership: Ownership;
  /** Azure AD state at enrollment. */
  azureAd: 'registered' | 'joined' | 'none';
  joinedDuringSetup: boolean;
  domainJoined: boolean;
  /** Share of a generated cohort when no enrollment type is given. */
  weight: number;
}

export interface OsRelease {
  /** As the OS reports it and Graph's osVersion shows it. */
  version: string;
  /** Windows 10: the build number (16299 is 1709); null elsewhere. */
  build: number | null;
  /** Human label, for example "1709". */
  label: string;
}

export interface HardwareModel {
  manufacturer: string;
  model: string;
  deviceType: GraphDeviceType;
}

/**
 * S-3: a newly enrolled device checks in every `intervalMs` for `forMs`, phase after phase, then
 * every `steadyIntervalMs` with ± `jitterRatio` seeded jitter.
 */
export interface CheckInSchedule {
  phases: readonly { intervalMs: number; forMs: number }[];
  steadyIntervalMs: number;
  jitterRatio: number;
}

export type PushChannel = 'APNs' | 'WNS' | 'FCM';

/** Counts are [min, max], drawn per device. */
export type Range = readonly [number, number];

export interface AppRecipe {
  kind: AppKind;
  count: Range;
  names: readonly string[];
  data: readonly DataLocation[];
  /** Chance that the app carries "do not remove when the device is removed" (R-IOS-1). */
  keepOnUnenrollChance?: number;
}

export interface ContainerRecipe {
  apps: readonly AppRecipe[];
  certificates: Partial<Record<Source, Range>>;
  networkProfiles: Partial<Record<Source, Range>>;
  emailProfiles: Partial<Record<Source, Range>>;
  settings: Range;
  files: Range;
}

/** How a device's initial state is generated: data, read by agent/fleet's generator. */
export interface StateRecipe extends ContainerRecipe {
  accounts: 'phone' | 'mac' | 'windows' | 'kiosk';
  policies: Range;
  filesOutsideProfile: Range;
  cachedMessages: Range;
  efsProtectedMessages: Range;
  managementProfile: boolean;
  deviceAdminPrivilege: boolean;
  sideloadingKeys: boolean;
  /** Chance of Outlook under conditional access (macOS, R-MAC-5); 0 = no Outlook state. */
  outlookConditionalAccessChance: number;
  esimChance: number;
  bitLockerChance: number;
  autologonChance: number;
  /** Android Enterprise work profile contents; null for devices without one. */
  workProfile: ContainerRecipe | null;
}

export interface PlatformProfile {
  id: PlatformId;
  displayName: string;
  family: 'apple' | 'android' | 'windows';
  /** Graph's operatingSystem. */
  operatingSystem: 'iOS' | 'macOS' | 'Android' | 'Windows';
  pushChannel: PushChannel;
  checkIn: CheckInSchedule;
  enrollmentModes: readonly EnrollmentMode[];
  osReleases: readonly OsRelease[];
  models: readonly HardwareModel[];
  /** How long a wipe takes on the device once started. */
  wipeDurationMs: Range;
  /** What the service sends a deleted device at its next check-in (D-1). */
  deleteRemoval: 'retire' | 'wipe';
  /** Cleanup rules do not apply (D-3). */
  cleanupExempt: boolean;
  initialState: StateRecipe;
}
