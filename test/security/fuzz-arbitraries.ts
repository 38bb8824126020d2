import fc from 'fast-check';
import { GRAPH_ROUTES, SIM_ROUTES } from '../../broker/http/graph/route-table.ts';

/**
 * What the fuzzer sends: HTTP requests built from the route table with hostile twists, and MQTT
 * payloads from plain garbage to nearly valid messages. Kept apart from the property so each
 * can be read on its own.
 */

export interface FuzzRequest {
  method: string;
  target: string;
  headers: Record<string, string>;
  body: string | undefined;
  auth: 'token' | 'none' | 'wrong';
}

/** Names a test fills in with real values: device ids, serial numbers, users. */
export interface Known {
  deviceIds: string[];
  serials: string[];
  upns: string[];
  port: number;
}

/** Every route with its own method, and a few paths that are no route. */
const ROUTES: readonly { method: string; path: string }[] = [
  ...['/v1.0', '/beta'].flatMap((v) =>
    GRAPH_ROUTES.map((r) => ({ method: r.method, path: `${v}${r.path}` })),
  ),
  ...SIM_ROUTES,
  { method: 'GET', path: '/openapi.json' },
  { method: 'GET', path: '/' },
  { method: 'GET', path: '/sim/events/stream' },
];

const hex = (c: string) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`;

/** Characters that may appear raw in a request target (Node refuses others before fastify). */
const targetChars = fc.constantFrom(
  ..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:@%/".split(''),
);
const segment = fc.oneof(
  fc.string({ unit: targetChars, maxLength: 12 }),
  fc.constantFrom('..', '.', '%2e%2e', '%2F', '%00', '%', '%zz', '%E0%A4%A', 'a'.repeat(300)),
);

function fill(template: string, k: Known, pick: number, junk: string): string {
  const at = <T>(list: T[]) => list[pick % Math.max(1, list.length)];
  return template
    .replace('{id}', pick % 5 === 0 ? junk : (at(k.deviceIds) ?? junk))
    .replace('{key}', at(k.serials) ?? junk)
    .replace('{serial}', at(k.serials) ?? junk)
    .replace('{upn}', encodeURIComponent(at(k.upns) ?? junk))
    .replace('{channel}', ['APNs', 'WNS', 'FCM', junk][pick % 4]!);
}

/** Twists a path the ways the issue's attacks did (and a few more). */
const TWISTS: ((path: string, k: Known) => string)[] = [
  (p) => p,
  (p) => p.replace(/[a-z]/, (c) => hex(c)),
  (p) => p.replace(/[a-z]/g, (c) => hex(c).toUpperCase()),
  (p) => p.toUpperCase(),
  (p) => `/${p}`,
  (p) => p.replace('/', '//'),
  (p) => `/sim/..${p}`,
  (p) => `/x/%2e%2e${p}`,
  (p) => `${p}/`,
  (p) => `${p};a=b`,
  (p, k) => `http://127.0.0.1:${k.port}${p}`,
  (p) => `http://evil.example:6666${p}`,
];

const FILTER_ATOMS = [
  "deviceName eq 'x'",
  "operatingSystem eq 'Windows'",
  'lastSyncDateTime gt 2020-01-01T00:00:00Z',
  "startswith(deviceName,'a')",
  "contains(serialNumber, 'Z')",
  'nope eq 1',
  "deviceName eq 'unterminated",
  'and or not',
  '',
];
const filterExpr = fc
  .tuple(fc.constantFrom(...FILTER_ATOMS), fc.nat(60), fc.constantFrom('(', 'not ', 'not ('), fc.boolean())
  .map(([atom, depth, wrap, close]) => {
    const open = wrap.repeat(depth);
    const closing = close ? ')'.repeat(depth * (wrap.includes('(') ? 1 : 0)) : '';
    return `${open}${atom}${closing}`;
  });

const OPTION_NAMES = [
  '$filter',
  '$top',
  '$select',
  '$orderby',
  '$skiptoken',
  '$count',
  '$expand',
  'type',
  'deviceId',
  'from',
  'to',
  'access_token',
];
const queryKey = fc.oneof(fc.constantFrom(...OPTION_NAMES), fc.string({ maxLength: 8 }));
const queryValue = fc.oneof(
  filterExpr,
  fc.string({ maxLength: 30 }),
  fc.constantFrom(
    '1',
    '0',
    '-1',
    '1001',
    'deviceName desc',
    'id,deviceName',
    'true',
    'bad',
    'b2Zmc2V0Ojk5OTk5OQ',
  ),
);
/** Query options, a known one given twice a third of the time (Graph answers 400). */
const query = fc
  .tuple(
    fc.array(fc.tuple(queryKey, queryValue), { maxLength: 4 }),
    fc.nat(2),
    fc.constantFrom(...OPTION_NAMES),
    queryValue,
  )
  .map(([pairs, repeat, name, value]) => {
    const twice = [
      [name, value],
      [name, value],
    ] as const;
    const all = repeat === 0 ? [...pairs, ...twice] : pairs;
    return all.length === 0
      ? ''
      : `?${all.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')}`;
  });

/** Bodies shaped like the routes' own, with values that are sometimes right and often not. */
const shapedBody = fc.oneof(
  fc.record(
    { keepEnrollmentData: fc.oneof(fc.boolean(), fc.string()), useProtectedWipe: fc.boolean() },
    { requiredKeys: [] },
  ),
  fc.record({ keepUserData: fc.oneof(fc.boolean(), fc.integer()) }),
  fc.record({
    actionName: fc.constantFrom('retire', 'wipe', 'syncDevice', 'delete', 'rebootNow', 'explode'),
    deviceIds: fc.array(fc.oneof(fc.string({ maxLength: 40 }), fc.constant('')), { maxLength: 5 }),
  }),
  fc.record({ by: fc.constantFrom('1s', '5m', 'x', '-1m', '', '1') }),
  fc.record({ speed: fc.oneof(fc.double(), fc.integer()) }),
  fc.record({ on: fc.oneof(fc.boolean(), fc.constant(null)) }),
  fc.record({ online: fc.anything() }),
  fc.record({ deviceInactivityBeforeRetirementInDays: fc.oneof(fc.string({ maxLength: 5 }), fc.integer()) }),
  fc.record({ userPrincipalName: fc.string({ maxLength: 20 }), displayName: fc.string({ maxLength: 10 }) }),
  fc.record({
    cohorts: fc.array(
      fc.record({
        platform: fc.constantFrom('ios', 'windows10', 'toaster'),
        count: fc.integer({ min: -1, max: 2 }),
      }),
      { maxLength: 2 },
    ),
  }),
);
const body = fc.oneof(
  fc.constant(undefined),
  shapedBody.map((b) => JSON.stringify(b)),
  fc.json({ maxDepth: 4 }),
  fc.nat(5_000).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`),
  fc.nat(5_000).map((n) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`),
  fc.string({ maxLength: 40 }),
  fc.constantFrom(
    '{',
    '[1,]',
    'null',
    '"x"',
    '{"__proto__":{"polluted":1}}',
    '{"constructor":{"prototype":{}}}',
  ),
);

export function httpRequest(k: Known): fc.Arbitrary<FuzzRequest> {
  return fc
    .record({
      // Mostly the route's own method, so requests reach their handlers; sometimes another.
      otherMethod: fc.oneof(
        { weight: 3, arbitrary: fc.constant(null) },
        { weight: 1, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS') },
      ),
      route: fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(...ROUTES) },
        {
          weight: 1,
          arbitrary: fc
            .array(segment, { minLength: 1, maxLength: 5 })
            .map((s) => ({ method: 'GET', path: `/${s.join('/')}` })),
        },
      ),
      pick: fc.nat(1_000),
      junk: fc.string({ unit: targetChars, minLength: 1, maxLength: 10 }),
      // Half the paths plain, so many requests reach their routes and act.
      twist: fc.oneof(fc.constant(0), fc.nat(TWISTS.length - 1)),
      query,
      body,
      contentType: fc.constantFrom(
        'application/json',
        'application/json',
        'text/plain',
        'application/x-www-form-urlencoded',
        '',
      ),
      auth: fc.constantFrom('token', 'token', 'token', 'none', 'wrong'),
      host: fc.constantFrom(undefined, 'evil.example:6666', 'localhost'),
    })
    .map((r) => {
      const path = TWISTS[r.twist]!(fill(r.route.path, k, r.pick, r.junk), k);
      const headers: Record<string, string> = {};
      if (r.body !== undefined && r.contentType) headers['content-type'] = r.contentType;
      if (r.host) headers.host = r.host;
      return {
        method: r.otherMethod ?? r.route.method,
        target: `${path}${r.query}`,
        headers,
        body: r.body,
        auth: r.auth as FuzzRequest['auth'],
      };
    });
}

export interface FuzzPublish {
  topic: 'own' | 'otherDevice' | 'ownDown' | 'enroll' | 'clock' | 'wild';
  payload: Buffer;
}

/** MQTT payloads from a device's own credentials: garbage, JSON, and nearly valid messages. */
export function mqttPublish(nowMs: number): fc.Arbitrary<FuzzPublish> {
  const facts = fc.record({
    enrolled: fc.boolean(),
    boot: fc.constantFrom('normal', 'setup', 'bricked'),
    policyIds: fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
    apps: fc.oneof(fc.nat(50), fc.constant(-1), fc.constant('many')),
    appKinds: fc.constant([]),
    certificatesInstalled: fc.nat(5),
    azureAd: fc.constantFrom('none', 'registered', 'joined', 'maybe'),
    accounts: fc.nat(3),
    userFiles: fc.nat(3),
    workProfile: fc.boolean(),
  });
  const sentAtMs = fc.oneof(
    fc.constant(nowMs),
    fc.integer({ min: 0, max: nowMs }),
    fc.integer({ min: nowMs, max: nowMs + 365 * 24 * 3_600_000 }),
    fc.constantFrom(-1, 1.5, Number.MAX_SAFE_INTEGER),
  );
  const message = fc.oneof(
    fc.record({
      v: fc.constantFrom(1, 2),
      seq: fc.nat(),
      sentAtMs,
      type: fc.constant('checkIn'),
      reason: fc.constantFrom('schedule', 'push', 'whim'),
      facts,
    }),
    fc.record({
      v: fc.constant(1),
      seq: fc.nat(),
      sentAtMs,
      type: fc.constant('ack'),
      commandId: fc.string({ maxLength: 20 }),
    }),
    fc.record({
      v: fc.constant(1),
      seq: fc.nat(),
      sentAtMs,
      type: fc.constant('result'),
      commandId: fc.string({ maxLength: 20 }),
      status: fc.constantFrom('done', 'failed', 'exploded'),
      rules: fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }),
      facts,
    }),
  );
  const payload = fc.oneof(
    { weight: 5, arbitrary: message.map((m) => Buffer.from(JSON.stringify(m))) },
    { weight: 1, arbitrary: fc.json({ maxDepth: 3 }).map((j) => Buffer.from(j)) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a)) },
    { weight: 1, arbitrary: fc.nat(10_000).map((n) => Buffer.from(`${'['.repeat(n)}${']'.repeat(n)}`)) },
    { weight: 1, arbitrary: fc.constantFrom(64 * 1024 + 1, 80 * 1024).map((n) => Buffer.alloc(n, 0x20)) },
  );
  return fc.record({
    topic: fc.oneof(
      { weight: 8, arbitrary: fc.constant('own' as const) },
      { weight: 1, arbitrary: fc.constantFrom('otherDevice', 'ownDown', 'enroll', 'clock', 'wild') },
    ),
    payload,
  });
}
