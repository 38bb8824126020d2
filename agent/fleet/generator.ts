import { cloneData } from '../../sim/clone.ts';
import type { DeviceIdentity } from '../../sim/device-identity.ts';
import { flat } from '../../sim/flat-string.ts';
import { PLATFORMS } from '../../sim/platforms/index.ts';
import type { EnrollmentMode, PlatformProfile } from '../../sim/platforms/types.ts';
import { createRng, type Rng } from '../../sim/prng.ts';
import type { Device } from '../model/commands.ts';
import { type CohortSpec, findRelease, type StateOverrides, validateCohort } from './cohort.ts';
import { buildInitialState } from './initial-state.ts';
import { SeededFaker } from './seeded-faker.ts';

/**
 * The seeded fleet generator: seed + cohorts → devices (identity and initial state). Device i of a
 * cohort draws from `seed/cohort:<name>/device:<i>`, so the same seed gives the same fleet and
 * adding a device or a cohort leaves the others as they were.
 */

export interface FleetSpec {
  seed: string | number;
  cohorts: readonly CohortSpec[];
  /** Sim time the fleet is created at; pins faker's reference date. Default 2026-01-05T09:00Z. */
  epochMs?: number;
}

export interface FleetDevice extends Device {
  cohort: string;
}

export const DEFAULT_EPOCH_MS = Date.UTC(2026, 0, 5, 9, 0, 0);

function pickMode(rng: Rng, profile: PlatformProfile, cohort: CohortSpec): EnrollmentMode {
  const ofType = cohort.enrollmentType
    ? profile.enrollmentModes.filter((m) => m.type === cohort.enrollmentType)
    : profile.enrollmentModes;
  // A type offered for both ownerships (Windows 8.1 workplace join) takes the cohort's ownership.
  const owned = cohort.enrollmentType ? ofType.filter((m) => m.ownership === cohort.ownership) : [];
  const modes = owned.length > 0 ? owned : ofType;
  const total = modes.reduce((sum, m) => sum + m.weight, 0);
  let roll = rng.next() * total;
  for (const mode of modes) {
    roll -= mode.weight;
    if (roll < 0) return mode;
  }
  return modes[modes.length - 1]!;
}

function serialNumber(rng: Rng, profile: PlatformProfile): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789';
  const length = profile.family === 'apple' ? 12 : profile.family === 'windows' ? 10 : 11;
  let serial = profile.family === 'android' ? 'R' : '';
  while (serial.length < length) serial += alphabet[rng.int(0, alphabet.length - 1)];
  return serial;
}

function imei(rng: Rng): string {
  // 14 digits and a Luhn check digit, as real IMEIs carry.
  const digits = Array.from({ length: 14 }, () => rng.int(0, 9));
  const sum = digits.reduce((acc, d, i) => {
    const v = i % 2 === 1 ? d * 2 : d;
    return acc + (v > 9 ? v - 9 : v);
  }, 0);
  return [...digits, (10 - (sum % 10)) % 10].join('');
}

function deviceName(profile: PlatformProfile, model: string, serial: string, user: string | null): string {
  if (profile.family === 'windows') return flat(`DESKTOP-${serial.slice(0, 7)}`);
  const who = user ? `${user.split('@')[0]}_` : '';
  return flat(`${who}${profile.operatingSystem}_${model.replace(/\s+/g, '')}_${serial.slice(-4)}`);
}

function makeIdentity(
  rng: Rng,
  faker: SeededFaker,
  profile: PlatformProfile,
  cohort: CohortSpec,
  mode: EnrollmentMode,
  path: string,
) {
  const f = faker.use(rng.child('faker'));
  const model = rng.pick(profile.models);
  const release = findRelease(profile, cohort.osVersion, path) ?? rng.pick(profile.osReleases);
  const serial = serialNumber(rng, profile);
  const kiosk = profile.initialState.accounts === 'kiosk';
  let user: DeviceIdentity['user'] = null;
  if (cohort.user) {
    user = { userPrincipalName: cohort.user, displayName: cohort.user.split('@')[0] ?? cohort.user };
  } else if (!kiosk) {
    const first = f.person.firstName();
    const last = f.person.lastName();
    user = {
      userPrincipalName: `${first}.${last}@contoso.com`.toLowerCase().replace(/[^a-z0-9.@-]/g, ''),
      displayName: flat(`${first} ${last}`),
    };
  }
  const identity: DeviceIdentity = {
    serialNumber: serial,
    platform: profile.id,
    enrollmentType: mode.type,
    ownership: cohort.ownership ?? mode.ownership,
    deviceName: deviceName(profile, model.model, serial, user?.userPrincipalName ?? null),
    manufacturer: model.manufacturer,
    model: model.model,
    deviceType: model.deviceType,
    osVersion: release.version,
    osBuild: release.build,
    imei: profile.family === 'android' || model.deviceType === 'iPhone' ? imei(rng) : null,
    wiFiMacAddress: f.internet.mac({ separator: '' }),
    // Frozen all the way down: cloneData shares frozen data rather than copying it.
    user: user && Object.freeze(user),
  };
  return Object.freeze(identity);
}

function applyOverrides(device: Device, overrides: StateOverrides | undefined): Device {
  if (!overrides) return device;
  const s = cloneData(device.state);
  Object.assign(s.conditions, overrides.conditions ?? {});
  if (overrides.bitLocker !== undefined) s.bitLocker = overrides.bitLocker;
  if (overrides.recoveryEnvironmentHealthy !== undefined)
    s.recoveryEnvironmentHealthy = overrides.recoveryEnvironmentHealthy;
  if (overrides.esimDataPlan !== undefined) s.esimDataPlan = overrides.esimDataPlan;
  if (overrides.outlookConditionalAccess !== undefined) {
    s.outlook = { conditionalAccess: overrides.outlookConditionalAccess, receivesNewMail: true };
  }
  for (const app of overrides.apps ?? []) {
    s.apps.push({
      id: `app-override-${s.apps.length + 1}`,
      name: app.name,
      kind: app.kind,
      installed: true,
      keepOnUnenroll: app.keepOnUnenroll ?? false,
      data: (app.data ?? ['appLocal']).map((location) => ({
        location,
        status: 'present',
        sizeBytes: 1024 * 1024,
      })),
    });
  }
  for (const p of overrides.emailProfiles ?? [])
    s.emailProfiles.push({
      id: `mail-override-${s.emailProfiles.length + 1}`,
      account: p.account,
      source: p.source ?? 'intune',
    });
  for (const c of overrides.certificates ?? [])
    s.certificates.push({
      id: `cert-override-${s.certificates.length + 1}`,
      subject: c.subject,
      source: c.source ?? 'user',
      installed: true,
      revoked: false,
    });
  for (const n of overrides.networkProfiles ?? [])
    s.networkProfiles.push({
      id: `net-override-${s.networkProfiles.length + 1}`,
      kind: n.kind ?? 'wifi',
      name: n.name,
      source: n.source ?? 'user',
    });
  for (const setting of overrides.settings ?? [])
    s.settings.push({ ...setting, enforced: setting.enforced ?? false });
  return { identity: device.identity, state: s };
}

/** One device of a cohort; exported so a runner can create devices lazily, one at a time. */
export function generateDevice(
  fleetRng: Rng,
  faker: SeededFaker,
  cohort: CohortSpec,
  names: CohortNames,
  index: number,
  path: string,
): FleetDevice {
  const profile = PLATFORMS[cohort.platform];
  const rng = fleetRng.child(`cohort:${names.seed}`).child(`device:${index}`);
  const mode = pickMode(rng, profile, cohort);
  const identity = makeIdentity(rng, faker, profile, cohort, mode, path);
  const state = buildInitialState(
    identity,
    profile.initialState,
    mode,
    rng.child('state'),
    faker.use(rng.child('state-faker')),
  );
  return { cohort: names.label, ...applyOverrides({ identity, state }, cohort.overrides) };
}

/** What a cohort is called in reports (`label`) and what its devices' randomness derives from (`seed`). */
export interface CohortNames {
  label: string;
  seed: string;
}

/**
 * A named cohort is its name twice. An unnamed one is labelled by its platform (`windows10`, then
 * `windows10-2` for a second one, skipping names other cohorts have) but keeps its position as the seed,
 * so the devices a fleet file generates did not change when the labels did.
 */
export function cohortNames(cohorts: readonly CohortSpec[]): CohortNames[] {
  const taken = new Set(cohorts.flatMap((c) => (c.name === undefined ? [] : [c.name])));
  return cohorts.map((c, i) => {
    if (c.name !== undefined) return { label: c.name, seed: c.name };
    let label: string = c.platform;
    for (let n = 2; taken.has(label); n++) label = `${c.platform}-${n}`;
    taken.add(label);
    return { label, seed: String(i) };
  });
}

export function generateFleet(spec: FleetSpec): FleetDevice[] {
  for (const [i, c] of spec.cohorts.entries()) validateCohort(c, `cohorts[${i}]`);
  const fleetRng = createRng(spec.seed);
  const faker = new SeededFaker(spec.epochMs ?? DEFAULT_EPOCH_MS);
  const devices: FleetDevice[] = [];
  const names = cohortNames(spec.cohorts);
  spec.cohorts.forEach((cohort, c) => {
    for (let i = 0; i < cohort.count; i++)
      devices.push(generateDevice(fleetRng, faker, cohort, names[c]!, i, `cohorts[${c}]`));
  });
  return devices;
}
