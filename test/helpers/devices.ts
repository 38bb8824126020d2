import type { CohortSpec, StateOverrides } from '../../agent/fleet/cohort.ts';
import { generateFleet } from '../../agent/fleet/generator.ts';
import type { Command, Device, Transition } from '../../agent/model/commands.ts';
import { runToCompletion } from '../../agent/model/run-to-completion.ts';
import type { AppItem, AppKind, DataLocation, DeviceState } from '../../sim/device-state.ts';
import type { WipeOptions } from '../../sim/eligibility.ts';
import { PLATFORMS } from '../../sim/platforms/index.ts';
import type { PlatformId } from '../../sim/platforms/types.ts';
import { createRng } from '../../sim/prng.ts';

/**
 * Test devices: a generated device (realistic identity and state) plus fixture items with known
 * ids ("fx-…"), one of every kind its platform carries, so tests can assert exactly what happened
 * to each.
 */

export interface DeviceOptions extends Omit<Partial<CohortSpec>, 'platform' | 'count'> {
  seed?: string;
  overrides?: StateOverrides;
}

function fixtureApp(
  kind: AppKind,
  locations: readonly DataLocation[],
  suffix = '',
  keepOnUnenroll = false,
): AppItem {
  return {
    id: `fx-${kind}${suffix}`,
    name: `Fixture ${kind}${suffix}`,
    kind,
    installed: true,
    keepOnUnenroll,
    data: locations.map((location) => ({ location, status: 'present', sizeBytes: 1024 })),
  };
}

/**
 * Adds one fixture item of every kind the platform's recipe has; each fixture app has data at
 * every location that kind uses on this platform, plus an SD card copy where Android has one.
 */
export function enrich(platform: PlatformId, state: DeviceState): DeviceState {
  const s = structuredClone(state);
  const recipe = PLATFORMS[platform].initialState;
  const locations = new Map<AppKind, Set<DataLocation>>();
  for (const r of recipe.apps) {
    const set = locations.get(r.kind) ?? new Set<DataLocation>();
    for (const l of r.data) set.add(l);
    if (PLATFORMS[platform].family === 'android' && r.kind !== 'webLink') set.add('sdCard');
    locations.set(r.kind, set);
  }
  for (const [kind, set] of locations) s.apps.push(fixtureApp(kind, [...set]));
  for (const kind of ['companyPortal', 'appStoreTakenOver'] as const) {
    const set = locations.get(kind);
    if (set) s.apps.push(fixtureApp(kind, [...set], '-keep', true));
  }
  s.certificates.push(
    {
      id: 'fx-cert-intune',
      subject: 'CN=fixture, O=Contoso',
      source: 'intune',
      installed: true,
      revoked: false,
    },
    { id: 'fx-cert-user', subject: 'CN=personal.example', source: 'user', installed: true, revoked: false },
  );
  s.networkProfiles.push(
    { id: 'fx-wifi-intune', kind: 'wifi', name: 'Contoso-Corp', source: 'intune' },
    { id: 'fx-vpn-intune', kind: 'vpn', name: 'Contoso VPN', source: 'intune' },
    { id: 'fx-wifi-user', kind: 'wifi', name: 'Home', source: 'user' },
  );
  if (recipe.emailProfiles.intune)
    s.emailProfiles.push({ id: 'fx-mail-intune', account: 'fx@contoso.com', source: 'intune' });
  s.files.push({
    path: 'Documents/fx-report.docx',
    area: 'userFolders',
    ownerAccountId: s.accounts[0]?.id ?? null,
    sizeBytes: 1024,
  });
  if (recipe.accounts === 'windows' || recipe.accounts === 'mac') {
    s.files.push({
      path: 'D:/Data/fx-data.bin',
      area: 'outsideProfile',
      ownerAccountId: s.accounts[0]?.id ?? null,
      sizeBytes: 1024,
    });
  }
  if (recipe.cachedMessages[1] > 0) s.mail.cachedMessages = Math.max(s.mail.cachedMessages, 10);
  if (recipe.efsProtectedMessages[1] > 0)
    s.mail.efsProtectedMessages = Math.max(s.mail.efsProtectedMessages, 5);
  s.settings =
    s.settings.length > 0
      ? s.settings
      : [{ key: 'camera.allowed', value: 'false', defaultValue: 'true', enforced: true }];
  if (s.management.policies.length === 0)
    s.management.policies = [{ id: 'policy-1', name: 'Compliance baseline', settings: [] }];
  return s;
}

/** One enriched device of a platform. */
export function makeDevice(platform: PlatformId, options: DeviceOptions = {}): Device {
  const { seed = 'test', ...cohort } = options;
  const [generated] = generateFleet({ seed, cohorts: [{ ...cohort, platform, count: 1 }] });
  if (!generated) throw new Error('no device generated');
  return { identity: generated.identity, state: enrich(platform, generated.state) };
}

export function run(device: Device, command: Command, seed = 'run'): Transition {
  return runToCompletion(device, command, { nowMs: 0, rng: createRng(seed) });
}

export function retire(device: Device): Transition {
  return run(device, { id: 'retire-1', type: 'retire' });
}

export function wipe(device: Device, options: WipeOptions = {}): Transition {
  return run(device, { id: 'wipe-1', type: 'wipe', options });
}

export function freshStart(device: Device, keepUserData: boolean): Transition {
  return run(device, { id: 'fresh-1', type: 'freshStart', keepUserData });
}

export function app(state: DeviceState, id: string): AppItem | undefined {
  return state.apps.find((a) => a.id === id);
}

export function dataAt(state: DeviceState, appId: string, location: DataLocation) {
  return app(state, appId)?.data.find((d) => d.location === location);
}

export function cert(state: DeviceState, id: string) {
  return state.certificates.find((c) => c.id === id);
}

export function networkIds(state: DeviceState): string[] {
  return state.networkProfiles.map((p) => p.id).sort();
}

/** The outcome's status and rules, asserting it ended done. */
export function expectDone(t: Transition): string[] {
  if (t.outcome?.status !== 'done') throw new Error(`expected done, got ${JSON.stringify(t.outcome)}`);
  return t.outcome.rules;
}
