import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_EPOCH_MS } from '../../agent/fleet/generator.ts';
import { matches, parseFilter } from '../../broker/http/graph/odata-filter.ts';
import { createHttpApi } from '../../broker/http/server.ts';
import { Emulator } from '../../emulator/emulator.ts';

/**
 * Graph paging and $filter forms no test exercised (survivors of a mutation study), through the
 * real HTTP routes (fastify's inject: no socket is needed) on a real emulator.
 */
const TOKEN = 'paging-token';
let emulator: Emulator;
let app: ReturnType<typeof createHttpApi>;

beforeAll(async () => {
  emulator = await Emulator.start({
    clock: 'virtual',
    speed: 1,
    seed: 'paging',
    db: ':memory:',
    agentDb: null,
    mqttPort: null,
    startMs: DEFAULT_EPOCH_MS,
  });
  await emulator.enroll(
    [
      { name: 'pcs', platform: 'windows10', count: 4, osVersion: '22H2' },
      { name: 'phones', platform: 'ios', count: 2 },
    ],
    'paging',
  );
  app = createHttpApi({
    service: emulator.service,
    control: emulator,
    log: emulator.log,
    admin: { token: TOKEN, userPrincipalName: 'admin@contoso.onmicrosoft.com' },
    now: () => emulator.clock.now(),
    tls: null,
  });
});
afterAll(async () => {
  await app?.close();
  await emulator?.close();
});

async function list(query: string) {
  const res = await app.inject({
    method: 'GET',
    url: `/v1.0/deviceManagement/managedDevices?${query}`,
    headers: { authorization: `Bearer ${TOKEN}` },
  });
  return { status: res.statusCode, body: res.json() as Record<string, any> };
}

describe('Graph managedDevices paging', () => {
  it('has no @odata.nextLink on the last page when the total is a multiple of $top', async () => {
    const first = await list('$top=3');
    expect(first.body['@odata.count']).toBe(6);
    expect(first.body.value).toHaveLength(3);
    expect(first.body['@odata.nextLink']).toEqual(expect.any(String));
    const next = new URL(first.body['@odata.nextLink']);
    const second = await list(next.searchParams.toString());
    expect(second.body.value).toHaveLength(3);
    expect(second.body).not.toHaveProperty('@odata.nextLink');
  });

  it('has no @odata.nextLink when one page holds everything exactly', async () => {
    const all = await list('$top=6');
    expect(all.body.value).toHaveLength(6);
    expect(all.body).not.toHaveProperty('@odata.nextLink');
  });
});

describe('Graph $filter forms', () => {
  const names = async (filter: string) => {
    const res = await list(`$filter=${encodeURIComponent(filter)}`);
    expect(res.status, filter).toBe(200);
    return (res.body.value as { operatingSystem: string }[]).map((d) => d.operatingSystem).sort();
  };

  it.each([
    ["operatingSystem eq 'iOS'", ['iOS', 'iOS']],
    ["contains(operatingSystem, 'indo')", ['Windows', 'Windows', 'Windows', 'Windows']],
    ["endswith(operatingSystem, 'OS')", ['iOS', 'iOS']],
    ["endswith(operatingSystem, 'Win')", []],
    ["contains(operatingSystem, 'xyz')", []],
  ])('%s', async (filter, expected) => {
    expect(await names(filter)).toEqual(expected);
  });

  it('le includes equality, lt does not', async () => {
    const any = (await list('$top=1')).body.value[0] as { enrolledDateTime: string };
    const at = any.enrolledDateTime;
    const le = await names(`enrolledDateTime le ${at}`);
    const lt = await names(`enrolledDateTime lt ${at}`);
    expect(le.length).toBeGreaterThan(lt.length);
  });

  it('eq null and ne null over HTTP: no filterable property of a device is null', async () => {
    expect(await names('operatingSystem eq null')).toEqual([]);
    expect(await names('operatingSystem ne null')).toHaveLength(6);
  });

  it.each([
    ['notes eq null', { notes: null }, true],
    ['notes eq null', { notes: 'x' }, false],
    ['notes ne null', { notes: null }, false],
    ['notes ne null', { notes: 'x' }, true],
    ['notes eq null', {}, true], // an absent property reads as null
    ['size le 5', { size: 5 }, true],
    ['size le 5', { size: 6 }, false],
    ['size lt 5', { size: 5 }, false],
  ])('%s on %j → %s', (filter, record, expected) => {
    expect(
      matches(
        parseFilter(
          filter,
          new Map([
            ['notes', 'string'],
            ['size', 'number'],
          ]),
        ),
        record,
      ),
    ).toBe(expected);
  });
});
