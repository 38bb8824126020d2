import { cloneData } from '../../../sim/clone.ts';
import type { DeviceIdentity } from '../../../sim/device-identity.ts';
import type {
  AccountItem,
  AppItem,
  AppKind,
  CertificateItem,
  DataLocation,
  DeviceState,
  FileArea,
  SettingItem,
  Source,
  WorkProfileState,
} from '../../../sim/device-state.ts';
import type { PlatformId } from '../../../sim/platforms/types.ts';
import { WINDOWS_10_BUILD } from '../../../sim/platforms/windows-10.ts';

/**
 * The vocabulary of effects. Each effect table row names one operation; `applyOp` is the only
 * code that changes what an action does to DeviceState, so the tables stay pure data. The reset
 * machinery in actions.ts only starts, resumes and clears the reset job, and turns power and boot
 * for the failure paths (W-PROT-1..3); every effect of a completed reset is a row.
 */

/** What happens to an app's data at one location. */
export type DataEffect = 'remove' | 'lock' | 'revokeKeys';

/** Every data location removed: "the app and all its data". */
export const ALL_DATA_REMOVED: Readonly<Record<DataLocation, DataEffect>> = {
  appLocal: 'remove',
  mamLocal: 'remove',
  mamExternal: 'remove',
  sdCard: 'remove',
  efs: 'remove',
};

export type AppFate = 'keep' | 'remove' | 'removeUnlessKeepOnUnenroll';

export type Op =
  /** Apps of these kinds: the app's fate, and per data location what happens to its data. */
  | {
      op: 'apps';
      kinds: readonly AppKind[] | 'all';
      app: AppFate;
      data?: Partial<Record<DataLocation, DataEffect>>;
    }
  | { op: 'certificates'; source: Source | 'all'; effect: 'revoke' | 'removeAndRevoke' | 'remove' }
  | { op: 'networkProfiles'; source: Source | 'all' }
  | { op: 'emailProfiles'; source: Source | 'all' }
  | { op: 'cachedMail' }
  | { op: 'efsMail' }
  | { op: 'settings'; effect: 'unenforce' | 'resetToDefault' }
  | { op: 'policies' }
  | { op: 'managementProfile' }
  | { op: 'deviceAdminPrivilege' }
  | { op: 'sideloadingKeys' }
  | { op: 'mdmEnrollment' }
  | { op: 'azureAdJoin' }
  /** R-WIN-7: remove every Azure AD account; local data stays reachable as local admin in safe mode. */
  | { op: 'azureAdAccounts' }
  | { op: 'outlookNewMail' }
  | { op: 'workProfile' }
  | { op: 'accounts'; effect: 'removeAll' | 'builtinAdministratorOnly' }
  | { op: 'files'; areas: readonly FileArea[] }
  | { op: 'autologon' }
  | { op: 'domainJoin' }
  /** iOS: the eSIM data plan goes when the wipe said persistEsimDataPlan: false. */
  | { op: 'esimDataPlan' }
  /** macOS: the unlock code given with the wipe is set in firmware as the wipe completes. */
  | { op: 'firmwareUnlockCode' }
  /** R-WIN-7's safe-mode access to local data ends with any reset. */
  | { op: 'safeModeLocalData' }
  | { op: 'outlook' }
  | { op: 'boot'; to: 'setup' | 'normal' }
  /** A documented non-effect: the spec says this data type is untouched (R-3, R-DA-10, R-WIN-6 …). */
  | { op: 'unchanged' };

/** Named conditions a row may depend on, evaluated on the state before the action. */
export const CONDITIONS = {
  /** R-WIN-7 */
  joinedDuringSetup: (_: DeviceIdentity, s: DeviceState) => s.azureAd.joinedDuringSetup,
  /** R-MAC-5 */
  outlookConditionalAccess: (_: DeviceIdentity, s: DeviceState) => s.outlook?.conditionalAccess === true,
  /** R-WIN-1: "from 1709 on, Microsoft 365 apps are not removed" */
  beforeWindows1709: (i: DeviceIdentity) => (i.osBuild ?? 0) < WINDOWS_10_BUILD.v1709,
  /** F-3: personal (BYOD) devices leave Azure AD and MDM. */
  personal: (i: DeviceIdentity) => i.ownership === 'personal',
  /** [later: devices-wipe 2022] persistEsimDataPlan: false; absent or true keeps the plan. */
  esimDataPlanNotKept: (_: DeviceIdentity, s: DeviceState) => s.nvram.resetJob?.persistEsimDataPlan === false,
} as const satisfies Record<string, (identity: DeviceIdentity, before: DeviceState) => boolean>;
export type ConditionName = keyof typeof CONDITIONS;

/** One row of an effect table. */
export interface EffectRow {
  /** The behavior-spec rule this row implements. */
  specId: string;
  /** The data type as the spec's table names it (the row label in docs/behavior-matrix.md). */
  dataType: string;
  platforms: readonly PlatformId[] | 'all';
  when?: ConditionName;
  op: Op;
  /** [reading]/[design] notes, shown in the matrix. */
  note?: string;
}

export function rowApplies(row: EffectRow, identity: DeviceIdentity, before: DeviceState): boolean {
  if (row.platforms !== 'all' && !row.platforms.includes(identity.platform)) return false;
  return row.when === undefined || CONDITIONS[row.when](identity, before);
}

function fromSource(item: { source: Source }, source: Source | 'all'): boolean {
  return source === 'all' || item.source === source;
}

/**
 * Per app fate, whether the app is uninstalled. A lookup, not a comparison with 'keep': a fate the
 * table does not know fails loudly instead of reading as one it does.
 */
const APP_FATES: Readonly<Record<AppFate, { uninstall: boolean }>> = {
  // Stryker disable next-line ObjectLiteral: {} reads uninstall as undefined, which keeps the app: the same fate
  keep: { uninstall: false },
  remove: { uninstall: true },
  removeUnlessKeepOnUnenroll: { uninstall: true },
};

function applyToApps(apps: AppItem[], op: Extract<Op, { op: 'apps' }>): AppItem[] {
  const out: AppItem[] = [];
  for (const app of apps) {
    if (op.kinds !== 'all' && !op.kinds.includes(app.kind)) {
      out.push(app);
      continue;
    }
    if (op.app === 'removeUnlessKeepOnUnenroll' && app.keepOnUnenroll) {
      out.push(app); // R-IOS-1's exception: app and data stay as they are
      continue;
    }
    const removeApp = APP_FATES[op.app].uninstall;
    const data = [];
    for (const item of app.data) {
      const effect = op.data?.[item.location];
      if (effect === 'remove') continue;
      if (effect === 'lock') data.push({ ...item, status: 'encryptedUnusable' as const });
      else if (effect === 'revokeKeys') data.push({ ...item, status: 'keysRevoked' as const });
      else if (removeApp && isInsideApp(item.location))
        continue; // uninstalling takes the app's own storage
      else data.push(item);
    }
    if (!removeApp) out.push({ ...app, data });
    else if (data.length > 0) out.push({ ...app, installed: false, data }); // R-DA-3: SD card data outlives the app
  }
  return out;
}

/** Data an uninstall takes with the app; data outside the app (SD card, shared storage) stays. */
function isInsideApp(location: DataLocation): boolean {
  return location === 'appLocal' || location === 'mamLocal' || location === 'efs';
}

/** What each certificate effect does: taken off the device, revoked at the CA, or both. */
const CERTIFICATE_EFFECTS: Readonly<
  Record<Extract<Op, { op: 'certificates' }>['effect'], { uninstall: boolean; revoke: boolean }>
> = {
  revoke: { uninstall: false, revoke: true },
  removeAndRevoke: { uninstall: true, revoke: true },
  remove: { uninstall: true, revoke: false },
};

function applyToCertificates(
  certs: CertificateItem[],
  op: Extract<Op, { op: 'certificates' }>,
): CertificateItem[] {
  const effect = CERTIFICATE_EFFECTS[op.effect];
  return certs.map((c) => {
    if (!fromSource(c, op.source)) return c;
    return {
      ...c,
      installed: effect.uninstall ? false : c.installed,
      revoked: effect.revoke ? true : c.revoked,
    };
  });
}

/** The parts of DeviceState a work profile also has; ops on them apply to the given container. */
type Container = Pick<DeviceState, keyof WorkProfileState>;

/** Applies one operation to a draft state (the caller owns the draft; see applyRows). */
export function applyOp(draft: DeviceState, op: Op): void {
  if (applyContainerOp(draft, op)) return;
  switch (op.op) {
    case 'cachedMail':
      draft.mail.cachedMessages = 0;
      return;
    case 'efsMail':
      draft.mail.efsProtectedMessages = 0;
      return;
    case 'policies':
      draft.management.policies = [];
      return;
    case 'managementProfile':
      draft.management.managementProfile = false;
      return;
    case 'deviceAdminPrivilege':
      draft.management.deviceAdminPrivilege = false;
      return;
    case 'sideloadingKeys':
      draft.management.sideloadingKeys = false;
      return;
    case 'mdmEnrollment':
      draft.management.enrolled = false;
      return;
    case 'azureAdJoin':
      draft.azureAd = { join: 'none', joinedDuringSetup: false };
      return;
    case 'azureAdAccounts':
      draft.accounts = draft.accounts.filter((a) => a.kind !== 'azureAd');
      draft.localDataViaSafeModeAdmin = true;
      return;
    case 'outlookNewMail':
      if (draft.outlook) draft.outlook = { ...draft.outlook, receivesNewMail: false };
      return;
    case 'outlook':
      draft.outlook = null;
      return;
    case 'workProfile':
      draft.workProfile = null;
      return;
    case 'autologon':
      draft.autologonUser = null;
      return;
    case 'domainJoin':
      draft.domainJoined = false;
      return;
    case 'esimDataPlan':
      if (draft.esimDataPlan !== null) draft.esimDataPlan = false;
      return;
    case 'firmwareUnlockCode':
      if (draft.nvram.resetJob?.macOsUnlockCode)
        draft.nvram.firmwareUnlockCode = draft.nvram.resetJob.macOsUnlockCode;
      return;
    case 'safeModeLocalData':
      draft.localDataViaSafeModeAdmin = false;
      return;
    case 'boot':
      draft.boot = op.to;
      return;
    case 'unchanged':
      return;
    default:
      // A row whose operation the vocabulary lacks is a table error: fail, never read it as "unchanged".
      throw new Error(`applyOp: no such operation ${JSON.stringify(op)}`);
  }
}

const SETTING_EFFECTS: Readonly<
  Record<Extract<Op, { op: 'settings' }>['effect'], (s: SettingItem) => SettingItem>
> = {
  unenforce: (s) => ({ ...s, enforced: false }),
  resetToDefault: (s) => ({ ...s, value: s.defaultValue, enforced: false }),
};

/** The accounts each accounts effect leaves (F-3: the built-in administrator). */
const ACCOUNTS_LEFT: Readonly<Record<Extract<Op, { op: 'accounts' }>['effect'], () => AccountItem[]>> = {
  removeAll: () => [],
  builtinAdministratorOnly: () => [
    { id: 'builtin-administrator', name: 'Administrator', kind: 'builtinAdministrator', hasProfile: true },
  ],
};

/**
 * Operations on the parts a work profile shares with the device: applied to the device's own side.
 * True when the operation was one of these.
 */
function applyContainerOp(c: Container, op: Op): boolean {
  switch (op.op) {
    case 'apps':
      c.apps = applyToApps(c.apps, op);
      return true;
    case 'certificates':
      c.certificates = applyToCertificates(c.certificates, op);
      return true;
    case 'networkProfiles':
      c.networkProfiles = c.networkProfiles.filter((p) => !fromSource(p, op.source));
      return true;
    case 'emailProfiles':
      c.emailProfiles = c.emailProfiles.filter((p) => !fromSource(p, op.source));
      return true;
    case 'settings':
      c.settings = c.settings.map(SETTING_EFFECTS[op.effect]);
      return true;
    case 'accounts':
      c.accounts = ACCOUNTS_LEFT[op.effect]();
      return true;
    case 'files':
      c.files = c.files.filter((f) => !op.areas.includes(f.area));
      return true;
  }
  return false;
}

/**
 * Applies the rows that hold for this device, in table order, to a copy of the state. Conditions
 * read the state before the action, so a row's effect never changes whether a later row applies.
 */
export function applyRows(
  rows: readonly EffectRow[],
  identity: DeviceIdentity,
  before: DeviceState,
): { state: DeviceState; applied: string[] } {
  const draft = cloneData(before);
  const applied: string[] = [];
  for (const row of rows) {
    if (!rowApplies(row, identity, before)) continue;
    applyOp(draft, row.op);
    if (!applied.includes(row.specId)) applied.push(row.specId);
  }
  return { state: draft, applied };
}
