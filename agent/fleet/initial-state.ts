import type { Faker } from '@faker-js/faker';
import type { DeviceIdentity } from '../../sim/device-identity.ts';
import type {
  AccountItem,
  AppItem,
  CertificateItem,
  DeviceState,
  EmailProfileItem,
  FileItem,
  NetworkProfileItem,
  PolicyItem,
  SettingItem,
  Source,
  WorkProfileState,
} from '../../sim/device-state.ts';
import { flat } from '../../sim/flat-string.ts';
import type {
  AppRecipe,
  ContainerRecipe,
  EnrollmentMode,
  Range,
  StateRecipe,
} from '../../sim/platforms/types.ts';
import { PolicyShelf } from '../../sim/policy-shelf.ts';
import type { Rng } from '../../sim/prng.ts';

/**
 * Builds a device's initial DeviceState from its platform's recipe (pure data in sim/platforms).
 * Ids are derived from the device's serial number so they are stable and readable.
 */

const SETTINGS = [
  { key: 'passcode.minLength', values: ['6', '8', '10'], defaultValue: '4' },
  { key: 'passcode.required', values: ['true'], defaultValue: 'false' },
  { key: 'camera.allowed', values: ['false'], defaultValue: 'true' },
  { key: 'screenLock.timeoutMinutes', values: ['2', '5'], defaultValue: '10' },
  { key: 'bluetooth.allowed', values: ['false'], defaultValue: 'true' },
  { key: 'storage.encryption', values: ['required'], defaultValue: 'optional' },
  { key: 'updates.deferDays', values: ['7', '14'], defaultValue: '0' },
  { key: 'browser.homepage', values: ['https://intranet.contoso.com'], defaultValue: 'about:blank' },
] as const;

const POLICY_NAMES = [
  'Compliance baseline',
  'Device restrictions',
  'Wi-Fi corporate',
  'VPN always-on',
  'Certificate SCEP',
  'Email profile',
  'Update ring',
  'Endpoint protection',
  'BitLocker',
  'Defender',
] as const;

function count(rng: Rng, range: Range): number {
  return rng.int(range[0], range[1]);
}

/**
 * The items in an array of exactly their number. An array filled by push keeps room to grow (17
 * slots for one item): a device keeps its lists for life, ~0.5 KB of room per device.
 */
function exact<T>(items: T[]): T[] {
  return items.slice();
}

function apps(rng: Rng, recipes: readonly AppRecipe[], prefix: string): AppItem[] {
  const out: AppItem[] = [];
  // Drawn without replacement: one device never lists the same app twice.
  const taken = new Set<string>();
  for (const recipe of recipes) {
    for (let i = count(rng, recipe.count); i > 0; i--) {
      const left = recipe.names.filter((n) => !taken.has(n));
      if (left.length === 0) break;
      const name = rng.pick(left);
      taken.add(name);
      out.push({
        id: itemId(prefix, 'app', out.length + 1),
        name,
        kind: recipe.kind,
        installed: true,
        keepOnUnenroll: rng.chance(recipe.keepOnUnenrollChance ?? 0),
        data: recipe.data.map((location) => ({
          location,
          status: 'present',
          sizeBytes: rng.int(1, 500) * 1024 * 1024,
        })),
      });
    }
  }
  return exact(out);
}

function bySource<T>(
  rng: Rng,
  ranges: Partial<Record<Source, Range>>,
  make: (source: Source, n: number) => T,
): T[] {
  const out: T[] = [];
  for (const source of ['intune', 'user'] as const) {
    const range = ranges[source];
    if (range) for (let i = count(rng, range); i > 0; i--) out.push(make(source, out.length + 1));
  }
  return exact(out);
}

/**
 * Settings and policies come from a handful of values, so most devices hold equal ones: each is
 * made once, frozen and shared (cloneData passes frozen data on as is; the model replaces items,
 * never changes them). Per device they were ~0.9 KB of a fleet's memory (heap snapshot, 5,000).
 */
const SHARED_SETTINGS = new Map<string, SettingItem>();
const SHARED_POLICIES = new PolicyShelf();

function sharedSetting(key: string, value: string, defaultValue: string): SettingItem {
  const id = `${key}\u0000${value}\u0000${defaultValue}`;
  let kept = SHARED_SETTINGS.get(id);
  if (kept === undefined) {
    kept = Object.freeze({ key, value, defaultValue, enforced: true });
    SHARED_SETTINGS.set(id, kept);
  }
  return kept;
}

function settings(rng: Rng, range: Range): SettingItem[] {
  const n = Math.min(count(rng, range), SETTINGS.length);
  return SETTINGS.slice(0, n).map((s) => sharedSetting(s.key, rng.pick(s.values), s.defaultValue));
}

function container(
  rng: Rng,
  faker: Faker,
  recipe: ContainerRecipe,
  prefix: string,
  owner: AccountItem | null,
  accounts: AccountItem[],
): WorkProfileState {
  const domain = 'contoso.com';
  return {
    apps: apps(rng, recipe.apps, prefix),
    certificates: bySource(
      rng,
      recipe.certificates,
      (source, n): CertificateItem => ({
        id: itemId(prefix, 'cert', n),
        subject: flat(
          source === 'intune'
            ? `CN=${owner?.name ?? 'device'}, O=Contoso`
            : `CN=${faker.internet.domainName()}`,
        ),
        source,
        installed: true,
        revoked: false,
      }),
    ),
    networkProfiles: bySource(rng, recipe.networkProfiles, (source, n): NetworkProfileItem => {
      const kind = n % 2 === 1 ? 'wifi' : 'vpn';
      const name =
        source === 'intune'
          ? kind === 'wifi'
            ? 'Contoso-Corp'
            : 'Contoso VPN'
          : `${faker.word.noun()}-wifi`;
      return { id: itemId(prefix, 'net', n), kind: source === 'user' ? 'wifi' : kind, name, source };
    }),
    emailProfiles: bySource(
      rng,
      recipe.emailProfiles,
      (source, n): EmailProfileItem => ({
        id: itemId(prefix, 'mail', n),
        account: source === 'intune' ? (owner?.name ?? `kiosk@${domain}`) : faker.internet.email(),
        source,
      }),
    ),
    settings: settings(rng, recipe.settings),
    files: Array.from(
      { length: count(rng, recipe.files) },
      (): FileItem => ({
        path: flat(`${prefix === '' ? '' : 'work/'}${faker.system.commonFileName()}`),
        area: 'userFolders',
        ownerAccountId: owner?.id ?? null,
        sizeBytes: rng.int(1, 20_000) * 1024,
      }),
    ),
    accounts,
  };
}

/**
 * Item ids ('app-3', 'work-cert-1') are the same few strings on every device: one copy each for
 * the whole fleet, not one per device (a 10,000-device fleet held ~50 copies per device).
 */
const ITEM_IDS = new Map<string, string>();
function itemId(prefix: string, kind: string, n: number): string {
  const id = `${prefix}${kind}-${n}`;
  const kept = ITEM_IDS.get(id);
  if (kept !== undefined) return kept;
  if (ITEM_IDS.size < 10_000) ITEM_IDS.set(id, id);
  return id;
}

/** Policies enforcing the device's settings, spread round-robin; a policy may enforce none. */
function policiesFor(settings: readonly SettingItem[], n: number): PolicyItem[] {
  const policies: PolicyItem[] = POLICY_NAMES.slice(0, n).map((name, i) => ({
    id: itemId('', 'policy', i + 1),
    name,
    settings: [],
  }));
  if (policies.length === 0) return policies;
  settings.forEach((s, i) => {
    if (s.enforced) policies[i % policies.length]!.settings.push({ key: s.key, value: s.value });
  });
  return policies.map((p) => SHARED_POLICIES.share(p));
}

function accounts(identity: DeviceIdentity, recipe: StateRecipe, mode: EnrollmentMode): AccountItem[] {
  const upn = identity.user?.userPrincipalName;
  switch (recipe.accounts) {
    case 'kiosk':
      return [];
    case 'phone':
      return upn
        ? [
            {
              id: 'user-1',
              name: upn,
              kind: identity.platform === 'ios' ? 'appleId' : 'google',
              hasProfile: true,
            },
          ]
        : [];
    case 'mac':
      return upn ? [{ id: 'user-1', name: upn.split('@')[0] ?? upn, kind: 'local', hasProfile: true }] : [];
    case 'windows': {
      const primary: AccountItem = upn
        ? {
            id: 'user-1',
            name: upn,
            kind: mode.azureAd === 'joined' ? 'azureAd' : 'microsoft',
            hasProfile: true,
          }
        : { id: 'user-1', name: 'User', kind: 'local', hasProfile: true };
      return [primary, { id: 'local-admin', name: 'LocalAdmin', kind: 'local', hasProfile: true }];
    }
  }
}

export function buildInitialState(
  identity: DeviceIdentity,
  recipe: StateRecipe,
  mode: EnrollmentMode,
  rng: Rng,
  faker: Faker,
): DeviceState {
  const userAccounts = accounts(identity, recipe, mode);
  const owner = userAccounts[0] ?? null;
  const device = container(rng.child('device'), faker, recipe, '', owner, userAccounts);
  const wp = recipe.workProfile;
  const workProfile: WorkProfileState | null = wp
    ? container(
        rng.child('work'),
        faker,
        wp,
        'work-',
        owner,
        identity.user
          ? [{ id: 'work-user', name: identity.user.userPrincipalName, kind: 'azureAd', hasProfile: true }]
          : [],
      )
    : null;
  const outsideProfile = Array.from(
    { length: count(rng, recipe.filesOutsideProfile) },
    (): FileItem => ({
      path: flat(`D:/Data/${faker.system.commonFileName()}`),
      area: 'outsideProfile',
      ownerAccountId: owner?.id ?? null,
      sizeBytes: rng.int(1, 200_000) * 1024,
    }),
  );
  const ca =
    recipe.outlookConditionalAccessChance > 0 ? rng.chance(recipe.outlookConditionalAccessChance) : null;
  // Every property named, not `...device`: a spread followed by more properties gave each device's
  // state a hidden class of its own (V8 maps and descriptor arrays, ~0.6 KB per device in a heap
  // snapshot at 10,000 devices); named in the same order, every state shares one.
  return {
    apps: device.apps,
    certificates: device.certificates,
    networkProfiles: device.networkProfiles,
    emailProfiles: device.emailProfiles,
    settings: device.settings,
    files: device.files.concat(outsideProfile),
    mail: {
      cachedMessages: count(rng, recipe.cachedMessages),
      efsProtectedMessages: count(rng, recipe.efsProtectedMessages),
    },
    outlook: ca === null ? null : { conditionalAccess: ca, receivesNewMail: true },
    management: {
      enrolled: true,
      managementProfile: recipe.managementProfile,
      deviceAdminPrivilege: recipe.deviceAdminPrivilege,
      sideloadingKeys: recipe.sideloadingKeys,
      policies: policiesFor(device.settings, count(rng, recipe.policies)),
    },
    workProfile,
    azureAd: { join: mode.azureAd, joinedDuringSetup: mode.joinedDuringSetup },
    domainJoined: mode.domainJoined,
    accounts: device.accounts,
    autologonUser: rng.chance(recipe.autologonChance) ? (owner?.name ?? null) : null,
    esimDataPlan: rng.chance(recipe.esimChance) ? true : null,
    localDataViaSafeModeAdmin: false,
    bitLocker: rng.chance(recipe.bitLockerChance),
    recoveryEnvironmentHealthy: true,
    conditions: { corruptedInstallation: false, bitLockerResetFails: false, rollbackFails: false },
    boot: 'normal',
    power: 'on',
    network: 'online',
    nvram: { resetJob: null, firmwareUnlockCode: null },
  };
}
