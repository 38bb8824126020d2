import { MANAGEMENT_STATES } from '../../sim/management-state.ts';
import { ENROLLMENT_TYPES, PLATFORM_IDS, type PlatformProfile } from '../../sim/platforms/types.ts';
import {
  appKindsOf,
  appNamesOf,
  dataLocationsOf,
  type PLATFORM_ONLY_FIELDS,
} from '../../sim/platforms/vocabulary.ts';

/**
 * The shape of what a fact path can reach — `{identity, state, online, record}` as the judge builds
 * it — written once as data so a scenario's fact paths are checked when the file loads. Enumerated
 * strings list their values; some depend on the target's platforms (app kinds, app names).
 */

/** The platforms (and extra app names from overrides) a path is checked against. */
export interface ShapeContext {
  platforms: readonly PlatformProfile[];
  appNames: readonly string[];
}

export type Shape =
  | { t: 'boolean'; nullable?: boolean; onlyOn?: OnlyOn }
  | { t: 'number'; nullable?: boolean }
  | {
      t: 'string';
      nullable?: boolean;
      values?: (ctx: ShapeContext) => readonly string[];
      /** The values depend on the target's platforms. */
      perPlatform?: boolean;
    }
  | { t: 'object'; nullable?: boolean; fields: Readonly<Record<string, Shape>>; onlyOn?: OnlyOn }
  | { t: 'list'; item: Extract<Shape, { t: 'object' }> };

type OnlyOn = keyof typeof PLATFORM_ONLY_FIELDS;

const bool: Shape = { t: 'boolean' };
const num: Shape = { t: 'number' };
const str: Shape = { t: 'string' };
const nullableStr: Shape = { t: 'string', nullable: true };
const oneOf = (values: readonly string[]): Shape => ({ t: 'string', values: () => values });
const obj = (fields: Record<string, Shape>, more: { nullable?: boolean; onlyOn?: OnlyOn } = {}) =>
  ({ t: 'object', fields, ...more }) as const;
const list = (fields: Record<string, Shape>): Shape => ({ t: 'list', item: obj(fields) });

const SOURCE = oneOf(['intune', 'user']);
const union = (ctx: ShapeContext, of: (p: PlatformProfile) => readonly string[]) => [
  ...new Set(ctx.platforms.flatMap(of)),
];

const app = list({
  id: str,
  name: { t: 'string', perPlatform: true, values: (ctx) => [...union(ctx, appNamesOf), ...ctx.appNames] },
  kind: { t: 'string', perPlatform: true, values: (ctx) => union(ctx, appKindsOf) },
  installed: bool,
  keepOnUnenroll: bool,
  data: list({
    location: { t: 'string', perPlatform: true, values: (ctx) => union(ctx, dataLocationsOf) },
    status: oneOf(['present', 'encryptedUnusable', 'keysRevoked']),
    sizeBytes: num,
  }),
});
const certificates = list({ id: str, subject: str, source: SOURCE, installed: bool, revoked: bool });
const networkProfiles = list({ id: str, kind: oneOf(['wifi', 'vpn']), name: str, source: SOURCE });
const emailProfiles = list({ id: str, account: str, source: SOURCE });
const settings = list({ key: str, value: str, defaultValue: str, enforced: bool });
const accounts = list({
  id: str,
  name: str,
  kind: oneOf(['azureAd', 'local', 'builtinAdministrator', 'microsoft', 'appleId', 'google']),
  hasProfile: bool,
});
const files = list({
  path: str,
  area: oneOf(['userFolders', 'outsideProfile']),
  ownerAccountId: nullableStr,
  sizeBytes: num,
});
const policies = list({ id: str, name: str, settings: list({ key: str, value: str }) });
const BOOT = ['normal', 'setup', 'recoveryEnvironment', 'needsBootableMedia', 'unusable'];

const identity = obj({
  serialNumber: str,
  platform: oneOf(PLATFORM_IDS),
  enrollmentType: oneOf(ENROLLMENT_TYPES),
  ownership: oneOf(['company', 'personal']),
  deviceName: str,
  manufacturer: str,
  model: str,
  deviceType: str,
  osVersion: str,
  osBuild: { t: 'number', nullable: true },
  imei: nullableStr,
  wiFiMacAddress: str,
  user: obj({ userPrincipalName: str, displayName: str }, { nullable: true }),
});

const state = obj({
  apps: app,
  certificates,
  networkProfiles,
  emailProfiles,
  mail: obj({ cachedMessages: num, efsProtectedMessages: num }),
  outlook: obj({ conditionalAccess: bool, receivesNewMail: bool }, { nullable: true, onlyOn: 'outlook' }),
  settings,
  management: obj({
    enrolled: bool,
    managementProfile: bool,
    deviceAdminPrivilege: bool,
    sideloadingKeys: bool,
    policies,
  }),
  workProfile: obj(
    { apps: app, certificates, networkProfiles, emailProfiles, accounts, files, settings },
    { nullable: true, onlyOn: 'workProfile' },
  ),
  azureAd: obj({ join: oneOf(['none', 'registered', 'joined']), joinedDuringSetup: bool }),
  domainJoined: bool,
  accounts,
  files,
  autologonUser: nullableStr,
  esimDataPlan: { t: 'boolean', nullable: true, onlyOn: 'esimDataPlan' },
  localDataViaSafeModeAdmin: bool,
  bitLocker: bool,
  recoveryEnvironmentHealthy: bool,
  conditions: obj({ corruptedInstallation: bool, bitLockerResetFails: bool, rollbackFails: bool }),
  boot: oneOf(BOOT),
  power: oneOf(['on', 'off']),
  network: oneOf(['online', 'offline']),
  nvram: obj({
    resetJob: obj(
      {
        commandId: str,
        action: oneOf(['wipe', 'freshStart']),
        variant: oneOf(['full', 'keepUserData', 'keepEnrollment', 'freshStartKeepUserData', 'freshStart']),
        protectedWipe: bool,
        persistEsimDataPlan: bool,
        macOsUnlockCode: nullableStr,
        startedAtMs: num,
        durationMs: num,
        attempts: num,
      },
      { nullable: true },
    ),
    firmwareUnlockCode: nullableStr,
  }),
});

/** The service's record of the device (undefined once the device has no credentials). */
const record = obj(
  {
    id: str,
    managementState: oneOf(Object.keys(MANAGEMENT_STATES)),
    listed: bool,
    deletePending: bool,
    azureADDeviceId: str,
    enrolledAtMs: num,
    lastSyncAtMs: { t: 'number', nullable: true },
    certificateExpiresAtMs: num,
    removedAtMs: { t: 'number', nullable: true },
    removedWhy: nullableStr,
  },
  { nullable: true },
);

export const FACT_ROOT = obj({ identity, state, online: bool, record });

/** Every field path without selectors, for "did you mean" suggestions. */
export function allPaths(shape: Shape = FACT_ROOT, prefix = ''): string[] {
  const fields = shape.t === 'object' ? shape.fields : shape.t === 'list' ? shape.item.fields : null;
  if (!fields) return [];
  return Object.entries(fields).flatMap(([name, s]) => {
    const path = prefix ? `${prefix}.${name}` : name;
    return [path, ...allPaths(s, path)];
  });
}
