/**
 * The modeled on-device state: everything behavior-spec.md's tables name. Plain JSON (no
 * classes, no Dates) so it crosses the wire, lands in SQLite and shows in the dashboard as is.
 * Items a reset or retire removes are deleted from their list; certificates stay listed with
 * `installed: false` because their revocation is a fact worth asserting after removal (R-DA-8).
 *
 * It lives in sim/ because both sides read it: the agent's model changes it, the service shows
 * it through /sim and records the facts devices report.
 */

/** Kinds of app, one per row of the spec's tables that names apps. */
export const APP_KINDS = [
  'companyPortal', // iOS: installed through the Company Portal, tied to the management profile (R-IOS-1)
  'appStoreTakenOver', // iOS: App Store app later taken over as managed (R-IOS-1)
  'mamMicrosoft', // iOS: Microsoft app with app protection from the App Store, not CP-managed (R-IOS-2)
  'webLink', // Android: web link (R-DA-1)
  'googlePlayUnmanaged', // Android: unmanaged Google Play app (R-DA-2)
  'lobUnmanaged', // Android: unmanaged line-of-business app (R-DA-3)
  'googlePlayManaged', // Android: managed Google Play app (R-DA-4)
  'lobManaged', // Android: managed line-of-business app (R-DA-5)
  'companyApp', // Windows: company app installed by Intune (R-WIN-1), sideloaded with the sideloading keys
  'microsoft365', // Windows 10: Microsoft 365 Apps installed by Intune (R-WIN-1)
  'win32Ime', // Windows 10: Win32 app installed by the Intune management extension (R-WIN-1)
  'storeUser', // Windows: user-installed Store app (W-KEEP-9)
  'win32User', // Windows: user-installed Win32 app (W-KEEP-9)
  'storeOem', // Windows: OEM-installed Store app (W-KEEP-4)
  'win32Oem', // Windows: OEM-installed Win32 app (W-KEEP-4)
  'managedApp', // macOS and Android Enterprise: app assigned by Intune outside the tables above
  'personal', // an app the user installed on a phone, tablet or Mac; never Intune's
] as const;
export type AppKind = (typeof APP_KINDS)[number];

/** Where an app keeps data (the spec distinguishes these for retire). */
export const DATA_LOCATIONS = [
  'appLocal', // the app's own local storage, not protected
  'mamLocal', // company data in the app's local storage, protected by MAM encryption
  'mamExternal', // MAM-encrypted company data outside the app (shared storage, SD card)
  'sdCard', // unprotected data outside the app, for example on an SD card
  'efs', // EFS-protected company files (Windows 8.1)
] as const;
export type DataLocation = (typeof DATA_LOCATIONS)[number];

/** present: readable; encryptedUnusable: still on disk, MAM keys gone; keysRevoked: EFS keys revoked. */
export type DataStatus = 'present' | 'encryptedUnusable' | 'keysRevoked';

export interface AppData {
  location: DataLocation;
  status: DataStatus;
  /** Bytes, for realism in reports; effects never depend on it. */
  sizeBytes: number;
}

export interface AppItem {
  id: string;
  name: string;
  kind: AppKind;
  /** False once uninstalled while some of its data stays behind (R-DA-3: data on an SD card). */
  installed: boolean;
  /** "Do not remove this app when the device is removed from management" (R-IOS-1's exception). */
  keepOnUnenroll: boolean;
  data: AppData[];
}

/** Who put a profile or certificate there: Intune (policy) or the user. */
export type Source = 'intune' | 'user';

export interface CertificateItem {
  id: string;
  subject: string;
  source: Source;
  installed: boolean;
  revoked: boolean;
}

export interface NetworkProfileItem {
  id: string;
  kind: 'wifi' | 'vpn';
  name: string;
  source: Source;
}

export interface EmailProfileItem {
  id: string;
  account: string;
  source: Source;
}

export interface MailState {
  /** Messages cached on the device by the Intune-provisioned email profiles. */
  cachedMessages: number;
  /** EFS-protected mail and attachments in the Windows Mail app (R-WIN-5). */
  efsProtectedMessages: number;
}

/** Outlook on macOS under Azure AD conditional access (R-MAC-5). */
export interface OutlookState {
  conditionalAccess: boolean;
  receivesNewMail: boolean;
}

export interface SettingItem {
  key: string;
  value: string;
  defaultValue: string;
  /** Enforced by an Intune policy: the user cannot change it. */
  enforced: boolean;
}

/** An Intune policy as the device holds it: the settings it enforces. */
export interface PolicyItem {
  id: string;
  name: string;
  settings: { key: string; value: string }[];
}

export type AccountKind = 'azureAd' | 'local' | 'builtinAdministrator' | 'microsoft' | 'appleId' | 'google';

export interface AccountItem {
  id: string;
  name: string;
  kind: AccountKind;
  /** The account's profile itself: its settings and registry hive (W-2's reading). */
  hasProfile: boolean;
}

/**
 * userFolders: documents in the user's own folders (Documents, Desktop, Pictures, a phone's photos);
 * outsideProfile: data the user keeps elsewhere on the disk (W-2's reading).
 */
export type FileArea = 'userFolders' | 'outsideProfile';

export interface FileItem {
  path: string;
  area: FileArea;
  ownerAccountId: string | null;
  sizeBytes: number;
}

/** The Android Enterprise work profile: a container with its own apps, accounts and profiles. */
export interface WorkProfileState {
  apps: AppItem[];
  certificates: CertificateItem[];
  networkProfiles: NetworkProfileItem[];
  emailProfiles: EmailProfileItem[];
  accounts: AccountItem[];
  files: FileItem[];
  settings: SettingItem[];
}

export interface ManagementState {
  /** Enrolled in MDM: the device talks to Intune (W-KEEP-3). */
  enrolled: boolean;
  /** Apple: the MDM management profile (R-IOS-6, R-MAC-4). */
  managementProfile: boolean;
  /** Android device administrator / Knox: the Company Portal's device administrator privilege (R-DA-9). */
  deviceAdminPrivilege: boolean;
  /** Windows: sideloading keys for company apps (R-WIN-1). */
  sideloadingKeys: boolean;
  policies: PolicyItem[];
}

export type AzureAdJoin = 'none' | 'registered' | 'joined';

export interface AzureAdState {
  join: AzureAdJoin;
  /** Joined in the out-of-box experience (R-WIN-7). */
  joinedDuringSetup: boolean;
}

/**
 * normal: boots to the OS; setup: boots to the out-of-box setup (after a full wipe);
 * recoveryEnvironment: stuck in WinRE (W-PROT-3, corrupted installation);
 * needsBootableMedia: BitLocker reset failed (W-PROT-3); unusable: a failed rollback (W-PROT-2).
 */
export type BootState = 'normal' | 'setup' | 'recoveryEnvironment' | 'needsBootableMedia' | 'unusable';

export const UNBOOTABLE: readonly BootState[] = ['recoveryEnvironment', 'needsBootableMedia', 'unusable'];

/** Per-device conditions set in the fleet or a scenario (faults). */
export interface DeviceConditions {
  /** Windows installation with major corruption (W-PROT-3). */
  corruptedInstallation: boolean;
  /** BitLocker-encrypted device on which the reset fails (W-PROT-3). */
  bitLockerResetFails: boolean;
  /** The rollback of an interrupted unprotected wipe fails (W-PROT-2, RemoteWipe CSP). */
  rollbackFails: boolean;
}

/** A reset (wipe or Fresh Start) under way; it lives in NVRAM so it survives power loss. */
export interface ResetJob {
  commandId: string;
  action: 'wipe' | 'freshStart';
  /** The effect set this reset applies when it completes (see agent/model/effects). */
  variant: ResetVariant;
  /** Continue even if the device loses power (W-PROT-1). */
  protectedWipe: boolean;
  persistEsimDataPlan: boolean;
  /** macOS: the unlock code the firmware gets when the wipe completes. */
  macOsUnlockCode: string | null;
  startedAtMs: number;
  durationMs: number;
  /** How many times this reset was started (1 + resumes after power loss). */
  attempts: number;
}

export type ResetVariant =
  | 'full'
  | 'keepUserData'
  | 'keepEnrollment'
  | 'freshStartKeepUserData'
  | 'freshStart';

/** What survives power loss and process death. */
export interface NvramState {
  resetJob: ResetJob | null;
  /** macOS: the firmware unlock code a wipe sets (Graph's macOsUnlockCode). */
  firmwareUnlockCode: string | null;
}

export interface DeviceState {
  apps: AppItem[];
  certificates: CertificateItem[];
  networkProfiles: NetworkProfileItem[];
  emailProfiles: EmailProfileItem[];
  mail: MailState;
  outlook: OutlookState | null;
  settings: SettingItem[];
  management: ManagementState;
  workProfile: WorkProfileState | null;
  azureAd: AzureAdState;
  domainJoined: boolean;
  accounts: AccountItem[];
  files: FileItem[];
  autologonUser: string | null;
  /** iOS/iPadOS: an eSIM cellular plan, null without an eSIM. */
  esimDataPlan: boolean | null;
  /** Windows: after R-WIN-7 the user regains local data as local administrator in safe mode. */
  localDataViaSafeModeAdmin: boolean;
  bitLocker: boolean;
  recoveryEnvironmentHealthy: boolean;
  conditions: DeviceConditions;
  boot: BootState;
  power: 'on' | 'off';
  network: 'online' | 'offline';
  nvram: NvramState;
}
