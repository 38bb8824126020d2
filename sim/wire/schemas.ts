import { z } from 'zod';
import { APP_KINDS } from '../device-state.ts';
import { flat } from '../flat-string.ts';
import { ENROLLMENT_TYPES, PLATFORM_IDS } from '../platforms/types.ts';
import { REASONS } from '../reasons.ts';

/**
 * Every message on the wire, as a schema: validated at both edges (the broker's publish hook, the
 * service, the agent), so a malformed payload is rejected with a message naming the field.
 */

/** Larger payloads are refused before parsing. */
export const PAYLOAD_BYTES_MAX = 64 * 1024;
/**
 * 2: a result acknowledges its command (a device no longer sends an acknowledgement for a command
 * that ended at once). A version-1 service would count those commands as never acknowledged, so
 * the two refuse each other's messages, each naming the version it expected.
 */
export const WIRE_VERSION = 2;

export const ID_LENGTH_MAX = 128;
const id = z.string().min(1).max(ID_LENGTH_MAX);
const simTime = z.number().int().nonnegative();

/** Fields every message carries: the sender's sequence number and sim send time (for ordering). */
const envelope = { v: z.literal(WIRE_VERSION), seq: z.number().int().nonnegative(), sentAtMs: simTime };

const graphDeviceType = z.enum([
  'iPhone',
  'iPad',
  'macMDM',
  'android',
  'androidForWork',
  'androidEnterprise',
  'windowsRT',
  'desktop',
]);

export const identitySchema = z.strictObject({
  serialNumber: id,
  platform: z.enum(PLATFORM_IDS),
  enrollmentType: z.enum(ENROLLMENT_TYPES),
  ownership: z.enum(['company', 'personal']),
  deviceName: z.string().min(1).max(256),
  manufacturer: z.string().max(128),
  model: z.string().max(128),
  deviceType: graphDeviceType,
  osVersion: z.string().min(1).max(64),
  osBuild: z.number().int().nonnegative().nullable(),
  imei: z.string().max(32).nullable(),
  wiFiMacAddress: z.string().max(32),
  user: z
    .strictObject({ userPrincipalName: z.string().min(3).max(256), displayName: z.string().max(256) })
    .nullable(),
});

const policySchema = z.strictObject({
  id,
  name: z.string().max(256),
  settings: z.array(z.strictObject({ key: z.string().max(128), value: z.string().max(1024) })).max(256),
});

export const BOOT_STATES = [
  'normal',
  'setup',
  'recoveryEnvironment',
  'needsBootableMedia',
  'unusable',
] as const;
export const AZURE_AD_STATES = ['none', 'registered', 'joined'] as const;
export const POLICIES_MAX = 256;

/** What a device tells the service about itself with every message that changes it. */
export const factsSchema = z.strictObject({
  enrolled: z.boolean(),
  boot: z.enum(BOOT_STATES),
  policyIds: z.array(id).max(POLICIES_MAX),
  apps: z.number().int().nonnegative(),
  appKinds: z.array(z.enum(APP_KINDS)).max(APP_KINDS.length),
  certificatesInstalled: z.number().int().nonnegative(),
  azureAd: z.enum(AZURE_AD_STATES),
  accounts: z.number().int().nonnegative(),
  userFiles: z.number().int().nonnegative(),
  workProfile: z.boolean(),
});

const wipeOptions = z.strictObject({
  keepEnrollmentData: z.boolean().optional(),
  keepUserData: z.boolean().optional(),
  useProtectedWipe: z.boolean().optional(),
  macOsUnlockCode: z.string().max(32).optional(),
  persistEsimDataPlan: z.boolean().optional(),
});

export const commandSchema = z.discriminatedUnion('type', [
  z.strictObject({ id, type: z.literal('wipe'), options: wipeOptions }),
  z.strictObject({ id, type: z.literal('retire') }),
  z.strictObject({ id, type: z.literal('freshStart'), keepUserData: z.boolean() }),
  z.strictObject({ id, type: z.literal('sync') }),
]);

const reasonCode = z.enum(Object.keys(REASONS) as [keyof typeof REASONS, ...(keyof typeof REASONS)[]]);

export const CHECK_IN_REASONS = [
  'schedule',
  'push',
  'powerOn',
  'networkUp',
  'enrolled',
  'restart',
  'companyPortal',
  // The last answer said more commands were waiting: the device asks for the next page.
  'more',
] as const;

/** Device → service, on fleetsim/devices/up/{id}. */
export const deviceUpSchema = z.discriminatedUnion('type', [
  z.strictObject({
    ...envelope,
    type: z.literal('checkIn'),
    reason: z.enum(CHECK_IN_REASONS),
    /**
     * When the check-in was due (its schedule, or a push's reaction time), sent only when that was
     * before sentAtMs: the device fell behind (a busy process, a connection to reopen). Absent, it
     * was due when sent. Optional, so devices that never send it are served as before.
     */
    dueAtMs: simTime.optional(),
    facts: factsSchema,
  }),
  /** The device committed the command (it is in its NVRAM and will run or has run): actionState `active`. */
  z.strictObject({ ...envelope, type: z.literal('ack'), commandId: id }),
  z.strictObject({
    ...envelope,
    type: z.literal('result'),
    commandId: id,
    status: z.enum(['done', 'failed', 'notSupported']),
    reasonCode: reasonCode.optional(),
    rules: z.array(z.string().max(32)).max(128),
    facts: factsSchema,
  }),
]);

/** The most commands one message carries; a longer queue goes out in pages (see `more`). */
export const COMMANDS_PER_MESSAGE_MAX = 64;
/** Results one acknowledgement may name. */
const RESULT_ACKS_MAX = 256;

/** Service → device, on fleetsim/devices/down/{id}. */
export const deviceDownSchema = z.discriminatedUnion('type', [
  z.strictObject({ ...envelope, type: z.literal('notify'), channel: z.enum(['APNs', 'WNS', 'FCM']) }),
  z.strictObject({
    ...envelope,
    type: z.literal('commands'),
    commands: z.array(commandSchema).max(COMMANDS_PER_MESSAGE_MAX),
    /** More commands wait after these: check in again once these are committed. */
    more: z.boolean(),
    /** The policies assigned to the device, when it reported missing ones (W-5). */
    policies: z.array(policySchema).max(256).nullable(),
  }),
  /** The service committed these results: the device may forget them (and, once out of management, its credentials). */
  z.strictObject({
    ...envelope,
    type: z.literal('resultAck'),
    commandIds: z.array(id).min(1).max(RESULT_ACKS_MAX),
  }),
]);

/** An enrolling device → service, on fleetsim/enroll/request/{clientId}. */
export const enrollRequestSchema = z.strictObject({
  ...envelope,
  type: z.literal('enroll'),
  requestId: id,
  identity: identitySchema,
  facts: factsSchema,
  /** Enrolling by itself at setup (Apple ADE, D-7) rather than by a user. */
  automatic: z.boolean(),
  /** The Intune policies the device holds; the service keeps them as its assignment (W-5). */
  policies: z.array(policySchema).max(256),
});

/** Service → enrolling device, on fleetsim/enroll/response/{clientId}. */
export const enrollResponseSchema = z.discriminatedUnion('type', [
  z.strictObject({
    ...envelope,
    type: z.literal('enrolled'),
    requestId: id,
    /** Graph's managedDevice id. */
    managedDeviceId: id,
    /** The device's MQTT identity: client id, username and topic key. */
    channelId: id,
    token: z.string().min(16).max(256),
    enrolledAtMs: simTime,
    policies: z.array(policySchema).max(256),
  }),
  z.strictObject({
    ...envelope,
    type: z.literal('enrollRefused'),
    requestId: id,
    reason: z.string().max(512),
  }),
]);

/** Retained on fleetsim/clock: the scaled clock's anchor (design.md, Time). */
export const clockSchema = z.strictObject({
  ...envelope,
  type: z.literal('clock'),
  mode: z.enum(['virtual', 'scaled']),
  simOriginMs: simTime,
  wallOriginMs: simTime,
  speed: z.number().positive(),
});

export type DeviceFacts = z.infer<typeof factsSchema>;
export type DeviceUp = z.infer<typeof deviceUpSchema>;
export type DeviceDown = z.infer<typeof deviceDownSchema>;
export type EnrollRequest = z.infer<typeof enrollRequestSchema>;
export type EnrollResponse = z.infer<typeof enrollResponseSchema>;
export type ClockMessage = z.infer<typeof clockSchema>;

export class WireError extends Error {
  constructor(
    readonly topic: string,
    message: string,
  ) {
    super(`${topic}: ${message}`);
    this.name = 'WireError';
  }
}

/** Parses and validates one payload; throws WireError naming what was wrong and where. */
export function decode<T>(schema: z.ZodType<T>, topic: string, payload: Buffer | Uint8Array): T {
  return validate(schema, topic, parseJson(topic, payload));
}

/** A payload's JSON, refused when it is over the size limit or not JSON. */
export function parseJson(topic: string, payload: Buffer | Uint8Array): unknown {
  if (payload.byteLength > PAYLOAD_BYTES_MAX) {
    throw new WireError(
      topic,
      `payload of ${payload.byteLength} bytes is over the ${PAYLOAD_BYTES_MAX}-byte limit`,
    );
  }
  try {
    // A Buffer is read in place; a bare Uint8Array is viewed as one (no copy).
    const bytes = Buffer.isBuffer(payload)
      ? payload
      : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
    return JSON.parse(bytes.toString('utf8'));
  } catch (e) {
    throw new WireError(topic, `not JSON: ${(e as Error).message}`);
  }
}

/** Validates parsed JSON against `schema`; throws WireError naming the first field that is wrong. */
export function validate<T>(schema: z.ZodType<T>, topic: string, json: unknown): T {
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length > 0 ? issue.path.join('.') : '(message)';
    throw new WireError(topic, `${where}: ${issue.message}`);
  }
  return parsed.data;
}

/**
 * A device sends the same facts object with check-in after check-in (the agent keeps one per
 * state), so its JSON is made once. The facts go last in the message; nothing reads key order.
 */
const factsJson = new WeakMap<object, string>();

export function encode(message: object): Buffer {
  return Buffer.from(encodeText(message));
}

/**
 * The message's JSON as text: what a client publishes, so the bytes are written once, where the
 * connection writes them (a socket encodes a string itself; the in-memory pair copies it into the
 * packet's buffer), rather than first into a buffer of their own.
 */
export function encodeText(message: object): string {
  const facts = (message as { facts?: unknown }).facts;
  if (typeof facts !== 'object' || facts === null) return JSON.stringify(message);
  let json = factsJson.get(facts);
  if (json === undefined) {
    // Flat: V8 returns a long JSON text as a tree of its pieces (~6 of them, ~0.3 KB a device).
    json = flat(JSON.stringify(facts));
    factsJson.set(facts, json);
  }
  const rest = JSON.stringify({ ...message, facts: undefined });
  return `${rest.slice(0, -1)}${rest.length > 2 ? ',' : ''}"facts":${json}}`;
}
