import { APP_KINDS } from '../device-state.ts';
import {
  AZURE_AD_STATES,
  BOOT_STATES,
  CHECK_IN_REASONS,
  type DeviceFacts,
  type DeviceUp,
  deviceUpSchema,
  ID_LENGTH_MAX,
  POLICIES_MAX,
  parseJson,
  validate,
  WIRE_VERSION,
} from './schemas.ts';

/**
 * The check-in is most of the traffic, and each one is validated twice (the broker's publish hook
 * and the service), where zod's general walk made a fifth of a check-in's garbage. This accepts a
 * check-in that the schema (deviceUpSchema's checkIn branch) certainly accepts, built the way zod
 * builds it (keys in schema order, fresh arrays), and returns null for anything else: zod then
 * decides, so a bad message gets the same error naming its field as before.
 */
const reasons = new Set<string>(CHECK_IN_REASONS);
const boots = new Set<string>(BOOT_STATES);
const azureAds = new Set<string>(AZURE_AD_STATES);
const appKinds = new Set<string>(APP_KINDS);

type Json = Record<string, unknown>;

const isObject = (x: unknown): x is Json => typeof x === 'object' && x !== null && !Array.isArray(x);
const count = (x: unknown): x is number => Number.isSafeInteger(x) && (x as number) >= 0;
const isId = (x: unknown) => typeof x === 'string' && x.length >= 1 && x.length <= ID_LENGTH_MAX;
const oneOf = (set: Set<string>, x: unknown) => typeof x === 'string' && set.has(x);

/**
 * Exactly these own keys, in this order, as an agent writes them: one pass, nothing allocated (the
 * arrays of Object.keys were ~210 of a check-in's ~10,800 bytes of garbage at 10,000 devices).
 * for-in also walks inherited enumerable keys; what JSON.parse makes (the only input here)
 * inherits none unless Object.prototype was given one. Then the Object.keys check below judges the
 * message and accepts it, as before this pass, where zod's strict check would refuse it; no
 * fleetsim code adds such a key.
 */
function inOrder(o: Json, keys: readonly string[]): boolean {
  let i = 0;
  for (const k in o) if (k !== keys[i++]) return false;
  return i === keys.length;
}

/** Exactly these own keys, in any order (a strict object: none missing, none extra). */
function hasExactly(o: Json, keys: readonly string[]): boolean {
  const own = Object.keys(o);
  return own.length === keys.length && keys.every((k) => own.includes(k));
}

/** In the order `stamp` and the agent write them. */
const CHECK_IN_KEYS = ['v', 'seq', 'sentAtMs', 'type', 'reason', 'facts'] as const;
/** A check-in sent later than it was due carries its due time too, before its facts. */
const LATE_CHECK_IN_KEYS = ['v', 'seq', 'sentAtMs', 'type', 'reason', 'dueAtMs', 'facts'] as const;
const FACT_KEYS = [
  'enrolled',
  'boot',
  'policyIds',
  'apps',
  'appKinds',
  'certificatesInstalled',
  'azureAd',
  'accounts',
  'userFiles',
  'workProfile',
] as const;

function validFacts(f: Json): boolean {
  const { policyIds, appKinds: kinds } = f;
  return (
    typeof f.enrolled === 'boolean' &&
    oneOf(boots, f.boot) &&
    Array.isArray(policyIds) &&
    policyIds.length <= POLICIES_MAX &&
    policyIds.every(isId) &&
    count(f.apps) &&
    Array.isArray(kinds) &&
    kinds.length <= APP_KINDS.length &&
    kinds.every((k) => oneOf(appKinds, k)) &&
    count(f.certificatesInstalled) &&
    oneOf(azureAds, f.azureAd) &&
    count(f.accounts) &&
    count(f.userFiles) &&
    typeof f.workProfile === 'boolean'
  );
}

/** The facts with their keys in the schema's order, as zod builds them. */
function factsInOrder(f: Json): DeviceFacts {
  return {
    enrolled: f.enrolled as boolean,
    boot: f.boot as DeviceFacts['boot'],
    policyIds: [...(f.policyIds as string[])],
    apps: f.apps as number,
    appKinds: [...(f.appKinds as DeviceFacts['appKinds'])],
    certificatesInstalled: f.certificatesInstalled as number,
    azureAd: f.azureAd as DeviceFacts['azureAd'],
    accounts: f.accounts as number,
    userFiles: f.userFiles as number,
    workProfile: f.workProfile as boolean,
  };
}

/**
 * The check-in `json` is, as deviceUpSchema would give it; null when zod must judge it. A check-in
 * whose keys come in the order an agent writes them is the parse's own object, which nothing else
 * holds (copying it was most of the rest of a check-in's validation garbage); in another order it
 * is rebuilt in the schema's order, as zod would.
 */
export function fastCheckIn(json: unknown): DeviceUp | null {
  if (!isObject(json) || json.type !== 'checkIn') return null;
  const late = Object.hasOwn(json, 'dueAtMs');
  const keys = late ? LATE_CHECK_IN_KEYS : CHECK_IN_KEYS;
  const f = json.facts;
  if (!isObject(f)) return null;
  const asSent = inOrder(json, keys) && inOrder(f, FACT_KEYS);
  if (!asSent && !(hasExactly(json, keys) && hasExactly(f, FACT_KEYS))) return null;
  if (late && !count(json.dueAtMs)) return null;
  if (json.v !== WIRE_VERSION || !count(json.seq) || !count(json.sentAtMs) || !oneOf(reasons, json.reason))
    return null;
  if (!validFacts(f)) return null;
  if (asSent) return json as unknown as DeviceUp;
  return {
    v: WIRE_VERSION,
    seq: json.seq,
    sentAtMs: json.sentAtMs,
    type: 'checkIn',
    reason: json.reason as Extract<DeviceUp, { type: 'checkIn' }>['reason'],
    ...(late ? { dueAtMs: json.dueAtMs as number } : {}),
    facts: factsInOrder(f),
  };
}

/** decode(deviceUpSchema, …), with check-ins judged by fastCheckIn first. */
export function decodeDeviceUp(topic: string, payload: Buffer | Uint8Array): DeviceUp {
  const json = parseJson(topic, payload);
  return fastCheckIn(json) ?? validate(deviceUpSchema, topic, json);
}
