import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIM_ROUTES } from '../../broker/http/graph/route-table.ts';
import { PLATFORM_IDS } from '../../sim/platforms/types.ts';
import { type HttpEmulator, startHttpEmulator } from '../helpers/http-emulator.ts';

/**
 * /openapi.json is a document a client generator can use: valid OpenAPI 3.1 by a real validator,
 * every /sim body and answer described, and the server's real answers valid against it.
 */
type Doc = { paths: Record<string, Record<string, any>> };
let api: HttpEmulator;
let doc: Doc;
const ajv = new Ajv2020({ strict: false, allErrors: true });

beforeAll(async () => {
  api = await startHttpEmulator({
    seed: 'openapi',
    cohorts: PLATFORM_IDS.map((platform) => ({ platform, count: 1 })),
  });
  await api.call('POST', '/sim/clock/advance', { by: '5m' });
  doc = (await (await fetch(`${api.base}/openapi.json`)).json()) as Doc;
});
afterAll(async () => api?.close());

/** The server's answer to one call, checked against the schema the document gives for it. */
async function expectDocumented(method: string, docPath: string, path: string, body?: unknown) {
  const r = await api.call(method, path, body);
  expect(r.status, `${method} ${path}: ${JSON.stringify(r.json)}`).toBeLessThan(300);
  const op = doc.paths[docPath]?.[method.toLowerCase()];
  expect(op, `${method} ${docPath} in the document`).toBeDefined();
  const answer = op.responses[String(r.status)];
  expect(answer, `${method} ${path} answered ${r.status}: ${JSON.stringify(r.json)}`).toBeDefined();
  const schema = answer.content?.['application/json']?.schema;
  if (schema) {
    const validate = ajv.compile(schema);
    expect(validate(r.json), `${method} ${path}: ${ajv.errorsText(validate.errors)}`).toBe(true);
  }
  return r;
}

describe('/openapi.json', () => {
  it('is valid OpenAPI 3.1 by @seriousme/openapi-schema-validator', async () => {
    const result = await new Validator().validate(doc as unknown as Parameters<Validator['validate']>[0]);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('describes every /sim body and every /sim JSON answer, none as a bare object', () => {
    for (const r of SIM_ROUTES) {
      const op = doc.paths[r.path]![r.method.toLowerCase()];
      if (r.method === 'POST' || r.method === 'PUT')
        expect(op.requestBody.content['application/json'].schema, `${r.method} ${r.path}`).toMatchObject({
          type: 'object',
          properties: expect.any(Object),
        });
      const [status, answer] = Object.entries(op.responses).find(([s]) => s.startsWith('2'))! as [
        string,
        any,
      ];
      if (status !== '204')
        expect(Object.values(answer.content)[0], `${r.method} ${r.path}`).not.toEqual({
          schema: { type: 'object' },
        });
    }
  });

  it('gives a body the server refuses as invalid, and one it takes as valid', async () => {
    const enroll = ajv.compile(
      doc.paths['/sim/fleet/enroll']!.post.requestBody.content['application/json'].schema,
    );
    const bad = { cohorts: [{ platform: 'nokia', count: 1 }] };
    expect(enroll(bad)).toBe(false);
    expect((await api.call('POST', '/sim/fleet/enroll', bad)).status).toBe(400);
    expect(enroll({ cohorts: [{ platform: 'ios', count: 1 }] })).toBe(true);
    const wipeV1 = ajv.compile(
      doc.paths['/v1.0/deviceManagement/managedDevices/{id}/wipe']!.post.requestBody.content[
        'application/json'
      ].schema,
    );
    const wipeBeta = ajv.compile(
      doc.paths['/beta/deviceManagement/managedDevices/{id}/wipe']!.post.requestBody.content[
        'application/json'
      ].schema,
    );
    expect(wipeV1({ useProtectedWipe: true })).toBe(false);
    expect(wipeBeta({ useProtectedWipe: true })).toBe(true);
  });
});

describe('the server answers as its document says', () => {
  it("for the clock, the fleet, every platform's device, push, directory, ABM, Company Portal and stats", async () => {
    await expectDocumented('GET', '/sim/clock', '/sim/clock');
    await expectDocumented('POST', '/sim/clock/advance', '/sim/clock/advance', { by: '1m' });
    const enrolled = await expectDocumented('POST', '/sim/fleet/enroll', '/sim/fleet/enroll', {
      cohorts: [{ platform: 'macos', count: 1 }],
    });
    expect(enrolled.json.devices[0].cohort).toBe('macos');
    await api.call('POST', '/sim/clock/advance', { by: '5m' });
    const fleet = await expectDocumented('GET', '/sim/fleet/devices', '/sim/fleet/devices');
    expect(new Set(fleet.json.devices.map((d: any) => d.platform))).toEqual(new Set(PLATFORM_IDS));
    for (const d of fleet.json.devices)
      await expectDocumented('GET', '/sim/devices/{key}', `/sim/devices/${d.serialNumber}`);
    const pc = fleet.json.devices.find((d: any) => d.platform === 'windows10');
    await expectDocumented('POST', '/sim/devices/{key}/faults', `/sim/devices/${pc.serialNumber}/faults`, {
      bitLocker: true,
    });
    await expectDocumented('POST', '/sim/devices/{key}/network', `/sim/devices/${pc.serialNumber}/network`, {
      online: false,
    });
    await expectDocumented('POST', '/sim/devices/{key}/power', `/sim/devices/${pc.serialNumber}/power`, {
      on: false,
    });
    await expectDocumented('PUT', '/sim/push/{channel}', '/sim/push/WNS', { up: false });
    await expectDocumented('GET', '/sim/push', '/sim/push');
    await expectDocumented('POST', '/sim/directory/users', '/sim/directory/users', {
      userPrincipalName: 'ada@contoso.com',
      displayName: 'Ada',
    });
    await expectDocumented('PUT', '/sim/abm/{serial}', '/sim/abm/C02XYZ', { assigned: true });
    const phone = fleet.json.devices.find((d: any) => d.platform === 'androidKnox');
    const state = (await api.call('GET', `/sim/devices/${phone.serialNumber}`)).json;
    await expectDocumented('POST', '/sim/company-portal', '/sim/company-portal', {
      managedDeviceId: phone.managedDeviceId,
      userPrincipalName: state.identity.user.userPrincipalName,
      action: 'sync',
    });
    await expectDocumented('GET', '/sim/stats', '/sim/stats');
  });

  it('for the scenario library and a run of one of its files, while it runs and when it is done', async () => {
    await expectDocumented('GET', '/sim/scenarios', '/sim/scenarios');
    const started = await expectDocumented('POST', '/sim/scenarios/runs', '/sim/scenarios/runs', {
      file: 'example-first-scenario.yaml',
      paceMs: 0,
    });
    let run = started.json;
    for (let i = 0; i < 100 && ['enrolling', 'running'].includes(run.status); i++)
      run = (
        await expectDocumented(
          'GET',
          '/sim/scenarios/runs/{id}',
          `/sim/scenarios/runs/${run.id}?after=${run.progress}`,
        )
      ).json;
    expect(run.status).toBe('passed');
  });
});
