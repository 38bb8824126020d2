import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpEmulator, startHttpEmulator } from '../helpers/http-emulator.ts';

/** Contract tests: Graph's paths, bodies, status codes and error shapes, over real HTTP. */
let api: HttpEmulator;
beforeAll(async () => {
  api = await startHttpEmulator({
    cohorts: [
      { name: 'iphones', platform: 'ios', count: 2, enrollmentType: 'companyPortal' },
      { name: 'ue', platform: 'ios', count: 1, enrollmentType: 'appleUserEnrollment' },
      { name: 'pcs', platform: 'windows10', count: 3, osVersion: '22H2', enrollmentType: 'azureAdJoin' },
      { name: 'old', platform: 'windows10', count: 1, osVersion: '1607' },
      { name: 'kiosk', platform: 'androidDedicated', count: 1 },
    ],
  });
  await api.call('POST', '/sim/clock/advance', { by: '5m' });
});
afterAll(async () => api?.close());

const expectGraphError = (
  r: { status: number; json: any },
  status: number,
  code: string,
  message?: RegExp,
) => {
  expect(r.status).toBe(status);
  expect(Object.keys(r.json)).toEqual(['error']);
  expect(r.json.error.code).toBe(code);
  if (message) expect(r.json.error.message).toMatch(message);
  expect(Object.keys(r.json.error.innerError).sort()).toEqual(['client-request-id', 'date', 'request-id']);
  expect(r.json.error.innerError.date).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
};

async function devices(version = 'beta', query = '') {
  const r = await api.call('GET', `/${version}/deviceManagement/managedDevices${query}`);
  expect(r.status).toBe(200);
  return r.json.value as Record<string, any>[];
}
const byPlatform = async (os: string) => (await devices()).filter((d) => d.operatingSystem === os);

describe('authentication', () => {
  it('401 without a token, with a wrong one, and with a malformed header', async () => {
    for (const headers of [
      { authorization: '' },
      { authorization: 'Bearer nope' },
      { authorization: 'Basic abc' },
    ]) {
      const res = await fetch(`${api.base}/v1.0/deviceManagement/managedDevices`, { headers });
      expectGraphError({ status: res.status, json: await res.json() }, 401, 'InvalidAuthenticationToken');
    }
    const sim = await fetch(`${api.base}/sim/clock`);
    expect(sim.status).toBe(401);
  });
  it('echoes client-request-id in errors', async () => {
    const r = await api.call('GET', '/v1.0/deviceManagement/managedDevices/nope', undefined, {
      'client-request-id': 'abc-123',
    });
    expect(r.json.error.innerError['client-request-id']).toBe('abc-123');
  });
});

describe('GET managedDevices', () => {
  it('lists every device with @odata.context, @odata.count and value', async () => {
    const r = await api.call('GET', '/v1.0/deviceManagement/managedDevices');
    expect(Object.keys(r.json)).toEqual(['@odata.context', '@odata.count', 'value']);
    expect(r.json['@odata.context']).toBe(`${api.base}/v1.0/$metadata#deviceManagement/managedDevices`);
    expect(r.json['@odata.count']).toBe(8);
    expect(r.json.value).toHaveLength(8);
  });

  it("has Graph's property names and types on v1.0, and the beta-only ones on beta only", async () => {
    const [v1] = await devices('v1.0', "?$filter=operatingSystem eq 'Windows'");
    const [beta] = await devices('beta', "?$filter=operatingSystem eq 'Windows'");
    for (const [key, type] of Object.entries({
      id: 'string',
      deviceName: 'string',
      operatingSystem: 'string',
      osVersion: 'string',
      serialNumber: 'string',
      userPrincipalName: 'string',
      managedDeviceOwnerType: 'string',
      deviceEnrollmentType: 'string',
      enrolledDateTime: 'string',
      lastSyncDateTime: 'string',
      azureADDeviceId: 'string',
      managementCertificateExpirationDate: 'string',
      managementState: 'string',
      isEncrypted: 'boolean',
      isSupervised: 'boolean',
      totalStorageSpaceInBytes: 'number',
    })) {
      expect(typeof v1![key], key).toBe(type);
    }
    expect(Array.isArray(v1!.deviceActionResults)).toBe(true);
    expect(v1!.enrolledDateTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(v1).not.toHaveProperty('deviceType');
    expect(beta!.deviceType).toBe('desktop');
    expect(v1!.operatingSystem).toBe('Windows');
    expect(v1!.osVersion).toMatch(/^10\.0\.19045\./);
    expect(v1!.deviceEnrollmentType).toBe('windowsAzureADJoin');
    expect(v1!.managementState).toBe('managed');
  });

  it('shows Android Enterprise enrollment types on beta; v1.0 shows unknownFutureValue', async () => {
    const [kioskBeta] = await devices('beta', "?$filter=operatingSystem eq 'Android'");
    const [kioskV1] = await devices('v1.0', "?$filter=operatingSystem eq 'Android'");
    expect(kioskBeta!.deviceEnrollmentType).toBe('androidEnterpriseDedicatedDevice');
    expect(kioskBeta!.deviceType).toBe('androidEnterprise');
    expect(kioskV1!.deviceEnrollmentType).toBe('unknownFutureValue');
    expect(kioskV1!.managedDeviceOwnerType).toBe('company');
  });

  it.each([
    ["operatingSystem eq 'iOS'", 3],
    ["operatingSystem eq 'Windows' and startswith(osVersion, '10.0.19045')", 3],
    ["operatingSystem eq 'Windows' and osVersion lt '10.0.15'", 1],
    ["deviceEnrollmentType eq 'appleUserEnrollment' or deviceEnrollmentType eq 'windowsAzureADJoin'", 4],
    ["managedDeviceOwnerType eq 'personal'", 3],
    ['lastSyncDateTime gt 2020-01-01T00:00:00Z', 8],
    ['lastSyncDateTime le 2020-01-01T00:00:00Z', 0],
    ["managementState eq 'managed'", 8],
    ["managementState ne 'managed'", 0],
    ["startswith(deviceName, 'DESKTOP-')", 4],
  ])('$filter=%s → %i devices', async (filter, n) => {
    expect(await devices('beta', `?$filter=${encodeURIComponent(filter)}`)).toHaveLength(n);
  });

  it('filters on serialNumber and userPrincipalName', async () => {
    const all = await devices();
    const one = all[0]!;
    expect(
      (await devices('v1.0', `?$filter=${encodeURIComponent(`serialNumber eq '${one.serialNumber}'`)}`)).map(
        (d) => d.id,
      ),
    ).toEqual([one.id]);
    const mine = await devices(
      'v1.0',
      `?$filter=${encodeURIComponent(`userPrincipalName eq '${one.userPrincipalName}'`)}`,
    );
    expect(mine.map((d) => d.id)).toContain(one.id);
  });

  it('refuses a bad $filter with 400 naming the problem', async () => {
    expectGraphError(
      await api.call(
        'GET',
        `/beta/deviceManagement/managedDevices?$filter=${encodeURIComponent("colour eq 'red'")}`,
      ),
      400,
      'BadRequest',
      /colour/,
    );
    expectGraphError(
      await api.call(
        'GET',
        `/beta/deviceManagement/managedDevices?$filter=${encodeURIComponent("operatingSystem eq 'iOS")}`,
      ),
      400,
      'BadRequest',
      /Unterminated/,
    );
  });

  it('pages with $top and @odata.nextLink until the end', async () => {
    const seen: string[] = [];
    let url: string | undefined =
      `${api.base}/v1.0/deviceManagement/managedDevices?$top=3&$orderby=deviceName`;
    let pages = 0;
    while (url) {
      const res = await fetch(url, { headers: { authorization: `Bearer ${api.token}` } });
      const page = (await res.json()) as { value: { id: string }[]; '@odata.nextLink'?: string };
      seen.push(...page.value.map((d) => d.id));
      url = page['@odata.nextLink'];
      pages++;
    }
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(8);
    expectGraphError(
      await api.call('GET', '/v1.0/deviceManagement/managedDevices?$top=0'),
      400,
      'BadRequest',
      /\$top/,
    );
    expectGraphError(
      await api.call('GET', '/v1.0/deviceManagement/managedDevices?$skiptoken=garbage'),
      400,
      'BadRequest',
      /skiptoken/,
    );
  });

  it('orders by deviceName and lastSyncDateTime, asc and desc', async () => {
    const names = (await devices('v1.0', '?$orderby=deviceName')).map((d) => d.deviceName);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
    const desc = (await devices('v1.0', '?$orderby=deviceName desc')).map((d) => d.deviceName);
    expect(desc).toEqual([...names].reverse());
    const syncs = (await devices('v1.0', '?$orderby=lastSyncDateTime')).map((d) => d.lastSyncDateTime);
    expect(syncs).toEqual([...syncs].sort());
    expectGraphError(
      await api.call('GET', '/v1.0/deviceManagement/managedDevices?$orderby=model'),
      400,
      'BadRequest',
    );
  });

  it('$select keeps only the named properties and says so in @odata.context', async () => {
    const r = await api.call('GET', '/v1.0/deviceManagement/managedDevices?$select=id,deviceName');
    expect(r.json['@odata.context']).toMatch(/#deviceManagement\/managedDevices\(id,deviceName\)$/);
    for (const d of r.json.value) expect(Object.keys(d)).toEqual(['id', 'deviceName']);
    expectGraphError(
      await api.call('GET', '/v1.0/deviceManagement/managedDevices?$select=id,shoeSize'),
      400,
      'BadRequest',
      /shoeSize/,
    );
  });
});

describe('GET and DELETE managedDevices/{id}', () => {
  it('gets one device with its $entity context', async () => {
    const [d] = await devices();
    const r = await api.call('GET', `/beta/deviceManagement/managedDevices/${d!.id}`);
    expect(r.status).toBe(200);
    expect(r.json['@odata.context']).toBe(
      `${api.base}/beta/$metadata#deviceManagement/managedDevices/$entity`,
    );
    expect(r.json.id).toBe(d!.id);
  });
  it('404 for an unknown id', async () => {
    expectGraphError(
      await api.call('GET', '/v1.0/deviceManagement/managedDevices/00000000-0000-0000-0000-000000000000'),
      404,
      'ResourceNotFound',
    );
  });
});

describe('actions and their refusals', () => {
  it('wipe, retire, syncDevice and cleanWindowsDevice answer 204', async () => {
    const [pc1, pc2] = (await byPlatform('Windows')).filter((d) => d.osVersion.startsWith('10.0.19045'));
    expect(
      (await api.call('POST', `/v1.0/deviceManagement/managedDevices/${pc1!.id}/syncDevice`)).status,
    ).toBe(204);
    expect(
      (
        await api.call('POST', `/v1.0/deviceManagement/managedDevices/${pc1!.id}/cleanWindowsDevice`, {
          keepUserData: true,
        })
      ).status,
    ).toBe(204);
    expect(
      (
        await api.call('POST', `/beta/deviceManagement/managedDevices/${pc2!.id}/wipe`, {
          keepUserData: true,
        })
      ).status,
    ).toBe(204);
    const after = await api.call('GET', `/beta/deviceManagement/managedDevices/${pc2!.id}`);
    expect(after.json.managementState).toBe('wipeIssued');
    expect(after.json.deviceActionResults).toEqual([
      {
        actionName: 'wipe',
        actionState: 'pending',
        startDateTime: expect.any(String),
        lastUpdatedDateTime: expect.any(String),
      },
    ]);
  });

  it('400 naming the rule for a refused action: wipe on iOS User Enrollment (W-3)', async () => {
    const ue = (await byPlatform('iOS')).find((d) => d.deviceEnrollmentType === 'appleUserEnrollment')!;
    const r = await api.call('POST', `/v1.0/deviceManagement/managedDevices/${ue.id}/wipe`, {});
    expectGraphError(r, 400, 'BadRequest', /User Enrollment.*wipeNotSupportedForUserEnrollment; rule W-3/);
  });
  it('400 for keepUserData on Windows 10 1607 (W-4), for useProtectedWipe with keepUserData (W-PROT-4), for retire of a kiosk (R-AE-2)', async () => {
    const old = (await byPlatform('Windows')).find((d) => d.osVersion.startsWith('10.0.14393'))!;
    expectGraphError(
      await api.call('POST', `/v1.0/deviceManagement/managedDevices/${old.id}/wipe`, { keepUserData: true }),
      400,
      'BadRequest',
      /W-4/,
    );
    const [, , pc3] = (await byPlatform('Windows')).filter((d) => d.osVersion.startsWith('10.0.19045'));
    expectGraphError(
      await api.call('POST', `/beta/deviceManagement/managedDevices/${pc3!.id}/wipe`, {
        useProtectedWipe: true,
        keepUserData: true,
      }),
      400,
      'BadRequest',
      /W-PROT-4/,
    );
    const [kiosk] = await byPlatform('Android');
    expectGraphError(
      await api.call('POST', `/v1.0/deviceManagement/managedDevices/${kiosk!.id}/retire`),
      400,
      'BadRequest',
      /R-AE-2/,
    );
  });
  it('400 for unknown fields and wrong types, naming the field; useProtectedWipe is beta-only', async () => {
    const [pc] = await byPlatform('Windows');
    expectGraphError(
      await api.call('POST', `/v1.0/deviceManagement/managedDevices/${pc!.id}/wipe`, { keepUserData: 'yes' }),
      400,
      'BadRequest',
      /keepUserData/,
    );
    expectGraphError(
      await api.call('POST', `/v1.0/deviceManagement/managedDevices/${pc!.id}/wipe`, { wipeHarder: true }),
      400,
      'BadRequest',
      /'wipeHarder' does not exist on type 'microsoft.graph.wipe'/,
    );
    expectGraphError(
      await api.call('POST', `/v1.0/deviceManagement/managedDevices/${pc!.id}/wipe`, {
        useProtectedWipe: true,
      }),
      400,
      'BadRequest',
      /useProtectedWipe/,
    );
    expectGraphError(
      await api.call('POST', `/v1.0/deviceManagement/managedDevices/${pc!.id}/cleanWindowsDevice`, {}),
      400,
      'BadRequest',
      /keepUserData/,
    );
    expectGraphError(
      await api.call('POST', `/v1.0/deviceManagement/managedDevices/${pc!.id}/retire`, '{"x":'),
      400,
      'BadRequest',
      /not valid JSON/,
    );
    expectGraphError(
      await api.call('POST', `/v1.0/deviceManagement/managedDevices/${pc!.id}/retire`, '[1,2]'),
      400,
      'BadRequest',
      /JSON object/,
    );
  });
  it('404 for an action on an unknown device', async () => {
    expectGraphError(
      await api.call('POST', '/v1.0/deviceManagement/managedDevices/nope/retire'),
      404,
      'ResourceNotFound',
    );
  });
});

describe('paths and methods', () => {
  it('404 for an unknown path, 405 for a wrong method (with Allow)', async () => {
    expectGraphError(
      await api.call('GET', '/v1.0/deviceManagement/managedGadgets'),
      404,
      'ResourceNotFound',
      /segment 'managedGadgets'/,
    );
    const r = await api.call('PUT', '/v1.0/deviceManagement/managedDevices');
    expectGraphError(r, 405, 'Request_BadRequest');
    expect(r.headers.get('allow')).toBe('GET');
    expect((await api.call('DELETE', '/beta/deviceManagement/managedDeviceCleanupSettings')).status).toBe(
      405,
    );
  });
  it('the bulk, audit and cleanup endpoints exist on beta only', async () => {
    expect((await api.call('GET', '/v1.0/deviceManagement/remoteActionAudits')).status).toBe(404);
    expect((await api.call('GET', '/v1.0/deviceManagement/managedDeviceCleanupSettings')).status).toBe(404);
  });
});

describe('managedDeviceCleanupSettings (beta)', () => {
  it('reads and sets deviceInactivityBeforeRetirementInDays as a string holding 0 or 30–270', async () => {
    const get = await api.call('GET', '/beta/deviceManagement/managedDeviceCleanupSettings');
    expect(get.json).toMatchObject({
      '@odata.type': '#microsoft.graph.managedDeviceCleanupSettings',
      deviceInactivityBeforeRetirementInDays: '0',
    });
    expect(
      (
        await api.call('PATCH', '/beta/deviceManagement/managedDeviceCleanupSettings', {
          deviceInactivityBeforeRetirementInDays: '90',
        })
      ).status,
    ).toBe(204);
    expect(
      (await api.call('GET', '/beta/deviceManagement/managedDeviceCleanupSettings')).json
        .deviceInactivityBeforeRetirementInDays,
    ).toBe('90');
    for (const bad of ['29', '271', 'ninety', '45.5']) {
      expectGraphError(
        await api.call('PATCH', '/beta/deviceManagement/managedDeviceCleanupSettings', {
          deviceInactivityBeforeRetirementInDays: bad,
        }),
        400,
        'BadRequest',
        /D-2/,
      );
    }
    expect(
      (
        await api.call('PATCH', '/beta/deviceManagement/managedDeviceCleanupSettings', {
          deviceInactivityBeforeRetirementInDays: '0',
        })
      ).status,
    ).toBe(204);
  });
});

describe('OpenAPI', () => {
  it('serves a document for both APIs without a token', async () => {
    const res = await fetch(`${api.base}/openapi.json`);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toContain('/beta/deviceManagement/managedDevices/executeAction');
    expect(Object.keys(doc.paths)).toContain('/v1.0/deviceManagement/managedDevices/{id}/wipe');
    expect(Object.keys(doc.paths)).toContain('/sim/clock/advance');
  });
});

describe('$select on one managedDevice', () => {
  it('returns only the selected properties, with a context naming them; an unknown property is a 400', async () => {
    const api = await startHttpEmulator({
      seed: 'select-one',
      cohorts: [{ platform: 'androidKnox', count: 1 }],
    });
    try {
      const [device] = (await api.call('GET', '/v1.0/deviceManagement/managedDevices')).json.value;
      const one = await api.call(
        'GET',
        `/v1.0/deviceManagement/managedDevices/${device.id}?$select=id,deviceName`,
      );
      expect(one.status).toBe(200);
      expect(Object.keys(one.json)).toEqual(['@odata.context', 'id', 'deviceName']);
      expect(one.json['@odata.context']).toMatch(/managedDevices\(id,deviceName\)\/\$entity$/);
      expect(one.json).toMatchObject({ id: device.id, deviceName: device.deviceName });
      const bad = await api.call('GET', `/v1.0/deviceManagement/managedDevices/${device.id}?$select=nope`);
      expect(bad.status).toBe(400);
      expect(bad.json.error.message).toMatch(/property named 'nope'/);
    } finally {
      await api.close();
    }
  });
});
