import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FILTER_DEPTH_MAX } from '../../broker/http/graph/odata-filter.ts';
import { JSON_DEPTH_MAX } from '../../broker/http/limits.ts';
import type { Serving } from '../../cli/serve.ts';
import { startServingOnFreePorts } from '../helpers/free-ports.ts';
import { isGraphError, rawRequest } from '../helpers/raw-http.ts';
import { stateOf } from '../helpers/service-state.ts';

/**
 * Issue 9: hostile input gets a Graph-shaped 400 naming what was wrong, never a 500 — deep
 * nesting in $filter and in JSON bodies, query options given twice — and changes nothing.
 * `@odata.nextLink` is built on the server's own base URL, not on the client's Host header.
 */
let serving: Serving;
let port: number;
let auth: Record<string, string>;
beforeAll(async () => {
  serving = await startServingOnFreePorts({ fleet: { cohorts: [{ platform: 'ios', count: 3 }] } });
  port = Number(new URL(serving.httpUrl).port);
  auth = { authorization: `Bearer ${serving.token}` };
});
afterAll(() => serving.stop());

const LIST = '/v1.0/deviceManagement/managedDevices';
const q = (s: string) => encodeURIComponent(s);

async function expect400(method: string, target: string, body: string | undefined, message: RegExp) {
  const before = stateOf(serving);
  const headers = body !== undefined ? { ...auth, 'content-type': 'application/json' } : auth;
  const res = await rawRequest(port, method, target, headers, body);
  expect(res.status, res.text.slice(0, 300)).toBe(400);
  expect(isGraphError(res.json)).toBe(true);
  expect(res.json.error.code).toBe('BadRequest');
  expect(res.json.error.message).toMatch(message);
  expect(stateOf(serving)).toBe(before);
}

describe('nesting depth', () => {
  it.each([
    ['parentheses', (n: number) => `${'('.repeat(n)}deviceName eq 'x'${')'.repeat(n)}`],
    ['not', (n: number) => `${'not '.repeat(n)}deviceName eq 'x'`],
    ['8,200 parentheses (the length limit)', () => '('.repeat(8_200)],
  ])('$filter nested by %s past the limit is a 400', async (_name, make) => {
    await expect400(
      'GET',
      `${LIST}?$filter=${q(make(FILTER_DEPTH_MAX + 1))}`,
      undefined,
      /nests deeper|longer than/,
    );
    const ok = await rawRequest(port, 'GET', `${LIST}?$filter=${q(make(FILTER_DEPTH_MAX))}`, auth);
    if (!_name.startsWith('8,200')) expect(ok.status).toBe(200);
  });

  it.each([
    ['arrays', (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`],
    ['objects', (n: number) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`],
    [
      '100,000 arrays inside a known field',
      () => `{"keepUserData":${'['.repeat(100_000)}${']'.repeat(100_000)}}`,
    ],
  ])('a JSON body nesting %s past the limit is a 400 on every route family', async (_name, make) => {
    const body = make(JSON_DEPTH_MAX + 1);
    const id = serving.emulator.service.listDevices()[0]!.id;
    for (const target of [
      `/beta/deviceManagement/managedDevices/${id}/wipe`,
      '/beta/deviceManagement/managedDevices/executeAction',
      '/sim/fleet/enroll',
    ])
      await expect400('POST', target, body, /nests objects or arrays deeper than 32 levels/);
  });

  it('brackets inside strings do not count', async () => {
    const id = serving.emulator.service.listDevices()[0]!.id;
    const res = await rawRequest(
      port,
      'POST',
      `/v1.0/deviceManagement/managedDevices/${id}/wipe`,
      { ...auth, 'content-type': 'application/json' },
      JSON.stringify({ macOsUnlockCode: '['.repeat(100) }),
    );
    expect(res.json?.error?.message ?? '').not.toMatch(/nests/);
  });
});

describe('what Node and the router refuse before any route runs', () => {
  it.each([
    ['a request line past the header limit', `${LIST}?$filter=${'('.repeat(100_000)}`, 431],
    ['malformed percent-encoding', '/v1.0/deviceManagement/managedDevices/%E0%A4%A', 400],
    [
      'a path parameter of 5,000 characters',
      `/v1.0/deviceManagement/managedDevices/${'a'.repeat(5_000)}`,
      400,
    ],
  ])(
    '%s: Graph-shaped, and 401 first without the token where a route could match',
    async (_name, target, status) => {
      const res = await rawRequest(port, 'GET', target, auth);
      expect(res.status, res.text.slice(0, 200)).toBe(status);
      expect(isGraphError(res.json)).toBe(true);
      if (status === 400) {
        const anonymous = await rawRequest(port, 'GET', target);
        expect(anonymous.status).toBe(401);
        expect(isGraphError(anonymous.json)).toBe(true);
      }
    },
  );
});

describe('a query option given twice is a 400, as in Graph', () => {
  it.each([
    [`${LIST}?$orderby=deviceName&$orderby=lastSyncDateTime`, '$orderby'],
    [`${LIST}?$select=id&$select=deviceName`, '$select'],
    [`${LIST}?$filter=${q("deviceName eq 'a'")}&$filter=${q("deviceName eq 'b'")}`, '$filter'],
    [`${LIST}?$top=1&%24top=2`, '$top'],
    ['/sim/events?type=a&type=b', 'type'],
    ['/beta/deviceManagement/remoteActionAudits?$filter=a&$filter=b', '$filter'],
  ])('%s', async (target, option) => {
    const escaped = option.replace('$', '\\$');
    await expect400('GET', target, undefined, new RegExp(`'${escaped}' was specified more than once`));
  });
});

describe('@odata.nextLink', () => {
  it("is built on the server's own address, whatever Host the client sent", async () => {
    const res = await rawRequest(port, 'GET', `${LIST}?$top=1`, { ...auth, host: 'evil.example:6666' });
    expect(res.status).toBe(200);
    expect(res.json['@odata.nextLink']).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port}${LIST}\\?`));
    expect(res.json['@odata.context']).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port}/v1\\.0/`));
  });

  it('uses --public-url when given', async () => {
    const behind = await startServingOnFreePorts({
      fleet: { cohorts: [{ platform: 'ios', count: 2 }] },
      publicUrl: 'https://fleetsim.example:8443',
    });
    try {
      const res = await rawRequest(Number(new URL(behind.httpUrl).port), 'GET', `${LIST}?$top=1`, {
        authorization: `Bearer ${behind.token}`,
        host: 'evil.example',
      });
      expect(res.json['@odata.nextLink']).toMatch(
        /^https:\/\/fleetsim\.example:8443\/v1\.0\/deviceManagement\/managedDevices\?/,
      );
    } finally {
      await behind.stop();
    }
  });
});

describe('the event log is bounded and says what it dropped', () => {
  it('GET /sim/stats shows events held, dropped and the bound, and the MQTT counters', async () => {
    const res = await rawRequest(port, 'GET', '/sim/stats', auth);
    expect(res.status).toBe(200);
    expect(res.json.events).toEqual({
      held: serving.emulator.log.all().length,
      dropped: 0,
      capacity: 250_000,
    });
    expect(res.json.mqtt).toMatchObject({ oversizeCut: 0, futureRejected: 0, publishRejected: 0 });
  });
});
