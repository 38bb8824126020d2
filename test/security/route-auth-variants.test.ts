import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GRAPH_ROUTES, SIM_ROUTES } from '../../broker/http/graph/route-table.ts';
import type { Serving } from '../../cli/serve.ts';
import { startServingOnFreePorts } from '../helpers/free-ports.ts';
import { isGraphError, rawRequest } from '../helpers/raw-http.ts';
import { stateOf } from '../helpers/service-state.ts';

/**
 * Issue 9: authentication is decided on the route the router matched. Every route family, written
 * every way a request target can name it, answers 401 without the token and changes nothing; the
 * plain path with the token reaches the route (so the table names live routes).
 */
let serving: Serving;
let port: number;
/** A finished scenario run, so GET /sim/scenarios/runs/{id} has one to show. */
let runId: string;

beforeAll(async () => {
  serving = await startServingOnFreePorts({
    fleet: { cohorts: [{ platform: 'windows10', count: 4, osVersion: '22H2' }] },
  });
  port = Number(new URL(serving.httpUrl).port);
  const call = async (method: string, path: string, body?: unknown) =>
    (await fetch(`${serving.httpUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${serving.token}`, 'content-type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    }).then((r) => r.json())) as { id: string; status: string; progress: number };
  let run = await call('POST', '/sim/scenarios/runs', { file: 'example-first-scenario.yaml', paceMs: 0 });
  runId = run.id;
  for (let i = 0; i < 100 && ['enrolling', 'running'].includes(run.status); i++)
    run = await call('GET', `/sim/scenarios/runs/${runId}?after=${run.progress}`);
});
afterAll(() => serving.stop());

/** A listed device now: the DELETE rows remove the one before. */
const someDevice = () => serving.emulator.service.listDevices()[0]!;

/** A body the route would accept with the token, so a leak through a variant would act. */
const BODIES: Record<string, string> = {
  '/wipe': '{}',
  '/cleanWindowsDevice': '{"keepUserData":false}',
  '/executeAction': '{"actionName":"syncDevice","deviceIds":["DEVICE"]}',
  '/managedDeviceCleanupSettings': '{"deviceInactivityBeforeRetirementInDays":"30"}',
  '/sim/clock/advance': '{"by":"1m"}',
  '/sim/clock/speed': '{"speed":2}',
  '/sim/fleet/enroll': '{"cohorts":[{"platform":"ios","count":1}]}',
  '/power': '{"on":false}',
  '/network': '{"online":false}',
  '/faults': '{"bitLocker":true}',
  '/sim/push/APNs': '{"up":false}',
  '/sim/directory/users': '{"userPrincipalName":"eve@contoso.com","displayName":"Eve"}',
  '/sim/abm/': '{"assigned":false}',
  '/sim/company-portal': '{"managedDeviceId":"DEVICE","userPrincipalName":"UPN","action":"sync"}',
};

function concrete(path: string): string {
  const record = someDevice();
  const fill: Record<string, string> = {
    '/deviceManagement/managedDevices/{id}': `/deviceManagement/managedDevices/${record.id}`,
    '{key}': record.identity.serialNumber,
    '{serial}': record.identity.serialNumber,
    '{channel}': 'APNs',
    '{upn}': record.identity.user!.userPrincipalName,
    '/sim/directory/devices/{id}': `/sim/directory/devices/${record.azureADDeviceId}`,
    '/sim/scenarios/runs/{id}': `/sim/scenarios/runs/${runId}`,
  };
  let p = path;
  for (const [pattern, value] of Object.entries(fill)) p = p.replace(pattern, value);
  return p;
}

function bodyFor(method: string, path: string): string | undefined {
  if (method === 'GET' || method === 'DELETE') return undefined;
  const key = Object.keys(BODIES).find((k) => path.includes(k));
  const record = someDevice();
  return (key ? BODIES[key]! : '{}')
    .replace('DEVICE', record.id)
    .replace('UPN', record.identity.user!.userPrincipalName);
}

const ROUTES = [
  ...['/v1.0', '/beta'].flatMap((v) =>
    GRAPH_ROUTES.filter((r) => v === '/beta' || !r.betaOnly).map((r) => ({
      method: r.method,
      path: `${v}${r.path}`,
    })),
  ),
  ...SIM_ROUTES,
];

const hex = (c: string) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;

/** Every way of writing `path` as a request target that the attacks used, and then some. */
function variants(path: string): [string, string][] {
  const [, first, ...rest] = path.split('/');
  const tail = rest.join('/');
  const last = rest.at(-1)!;
  const head = rest.slice(0, -1).join('/');
  return [
    ['plain', path],
    ['first letter encoded', `/${hex(first![0]!)}${first!.slice(1)}/${tail}`],
    [
      'first segment fully encoded, lowercase hex',
      `/${[...first!].map((c) => hex(c).toLowerCase()).join('')}/${tail}`,
    ],
    [
      'a letter of the last segment encoded',
      `/${first}/${head}${head ? '/' : ''}${hex(last[0]!)}${last.slice(1)}`,
    ],
    ['upper case', `/${first!.toUpperCase()}/${tail}`],
    ['leading double slash', `/${path}`],
    ['inner double slash', `/${first}//${tail}`],
    ['dot segment', `/${first}/./${tail}`],
    ['dot-dot segment', `/sim/../${first}/${tail}`],
    ['encoded dot-dot segment', `/sim/%2e%2e/${first}/${tail}`],
    ['encoded slash', `/${first}%2F${tail}`],
    ['trailing slash', `${path}/`],
    ['semicolon parameter', `${path};x=1`],
    ['absolute-form', `http://127.0.0.1:${port}${path}`],
    [
      'absolute-form, another host, encoded',
      `http://evil.example:6666/${hex(first![0]!)}${first!.slice(1)}/${tail}`,
    ],
    ['token in the query string', `${path}?access_token=${serving.token}`],
  ];
}

const BAD_AUTH: [string, Record<string, string>][] = [
  ['no Authorization header', {}],
  ['an empty bearer', { authorization: 'Bearer ' }],
  ['a wrong token', { authorization: 'Bearer not-the-token' }],
  ['the token with a character more', { authorization: 'Bearer TOKENx' }],
  ['the token less its last character', { authorization: 'Bearer TOKEN-1' }],
  ['Basic scheme with the token', { authorization: 'Basic TOKEN' }],
];

describe('every route needs the token, however its path is written', () => {
  it.each(ROUTES.map((r) => [`${r.method} ${r.path}`, r] as const))('%s', async (_name, route) => {
    const path = concrete(route.path);
    const body = bodyFor(route.method, path);
    const json: Record<string, string> = body !== undefined ? { 'content-type': 'application/json' } : {};
    const before = stateOf(serving);
    for (const [what, target] of variants(path)) {
      const res = await rawRequest(port, route.method, target, json, body);
      expect(res.status, `${what}: ${route.method} ${target}`).toBe(401);
      expect(isGraphError(res.json), `${what}: Graph-shaped body`).toBe(true);
      expect(res.json.error.code).toBe('InvalidAuthenticationToken');
    }
    for (const [what, headers] of BAD_AUTH) {
      const auth = headers.authorization
        ?.replace('TOKEN-1', serving.token.slice(0, -1))
        .replace('TOKEN', serving.token);
      const res = await rawRequest(
        port,
        route.method,
        path,
        { ...json, ...(auth ? { authorization: auth } : {}) },
        body,
      );
      expect(res.status, `${what}: ${route.method} ${path}`).toBe(401);
    }
    expect(stateOf(serving), 'no refused request changed anything').toBe(before);

    // The same plain path with the token reaches the route: not refused for auth, not unknown.
    const ok = await rawRequest(
      port,
      route.method,
      path,
      { ...json, authorization: `Bearer ${serving.token}` },
      body,
    );
    expect(ok.status, `${route.method} ${path} with the token: ${ok.text.slice(0, 200)}`).not.toBe(401);
    expect([404, 405]).not.toContain(ok.status);
  });

  it('only /openapi.json and the dashboard page are public, and their variants are public too', async () => {
    for (const target of ['/openapi.json', '/%6Fpenapi.json', `http://127.0.0.1:${port}/openapi.json`]) {
      expect((await rawRequest(port, 'GET', target)).status, target).toBe(200);
    }
    // The dashboard's page, script and style hold no data (the page asks for the token).
    for (const target of ['/', '/dashboard/', '/%64ashboard/app.css']) {
      expect((await rawRequest(port, 'GET', target)).status, target).not.toBe(401);
    }
    for (const target of ['/nothing', '/openapi.json/x', '/sim', '/beta', '/v1.0/', '/dashboard/x']) {
      const res = await rawRequest(port, 'GET', target);
      expect(res.status, target).toBe(401);
      expect(isGraphError(res.json)).toBe(true);
    }
    expect((await rawRequest(port, 'POST', '/openapi.json', {}, '')).status).toBe(401);
  });
});

describe('with the token, every spelling of a path gets what the plain path gets', () => {
  it.each(
    ['/v1.0/deviceManagement/managedDevices', '/beta/deviceManagement/remoteActionAudits', '/sim/clock'].map(
      (p) => [p],
    ),
  )('GET %s', async (path) => {
    const auth = { authorization: `Bearer ${serving.token}` };
    const plain = await rawRequest(port, 'GET', path, auth);
    expect(plain.status).toBe(200);
    const strip = (json: unknown) => JSON.stringify(json).replace(/"@odata\.context":"[^"]*"/, '');
    // Encoded slashes and semicolon parameters name other resources; every other spelling is this one.
    const same = variants(path).filter(
      ([what]) => !['encoded slash', 'semicolon parameter', 'token in the query string'].includes(what),
    );
    for (const [what, target] of same) {
      const res = await rawRequest(port, 'GET', target, auth);
      expect(res.status, `${what}: ${target}`).toBe(200);
      expect(strip(res.json), `${what}: same body`).toBe(strip(plain.json));
    }
  });
});
