import { afterEach, describe, expect, it } from 'vitest';
import { BULK_IDS_MAX } from '../../broker/http/graph/bulk-action.ts';
import type { Serving } from '../../cli/serve.ts';
import { startServingOnFreePorts } from '../helpers/free-ports.ts';
import { rawRequest } from '../helpers/raw-http.ts';

/**
 * Graph's bulk executeAction (beta): each distinct id answered once, at most BULK_IDS_MAX ids, and
 * D-6 reported as a failure. (How other requests fare while a bulk runs: bench/bulk-latency.ts.)
 */
let serving: Serving | null = null;
afterEach(async () => {
  await serving?.stop();
  serving = null;
});

async function start(cohorts = [{ platform: 'androidKnox' as const, count: 3 }]) {
  serving = await startServingOnFreePorts({ fleet: { cohorts } });
  const s = serving;
  const port = Number(new URL(s.httpUrl).port);
  const call = (method: string, path: string, body?: unknown) =>
    rawRequest(
      port,
      method,
      path,
      {
        authorization: `Bearer ${s.token}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body === undefined ? undefined : JSON.stringify(body),
    );
  return { s, call, ids: s.emulator.service.listDevices().map((d) => d.id) };
}

const BULK = '/beta/deviceManagement/managedDevices/executeAction';

describe('executeAction', () => {
  it('answers 10,000 ids with duplicates once per distinct id, and queues one action per device', async () => {
    const { s, call, ids } = await start();
    const [a, b] = ids as [string, string];
    const unknown = ['nope-1', 'nope-2'];
    const deviceIds = [b, ...Array.from({ length: BULK_IDS_MAX - 6 }, () => a), ...unknown, a, b, 'nope-1'];
    expect(deviceIds).toHaveLength(BULK_IDS_MAX);
    const actionsBefore = s.emulator.service.actions.size;
    const res = await call('POST', BULK, { actionName: 'syncDevice', deviceIds });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      successfulDeviceIds: [b, a],
      failedDeviceIds: [],
      notFoundDeviceIds: unknown,
      notSupportedDeviceIds: [],
    });
    expect(s.emulator.service.actions.size - actionsBefore).toBe(2);
  });

  it(`refuses more than ${BULK_IDS_MAX} ids with a Graph-shaped 400, changing nothing`, async () => {
    const { s, call, ids } = await start();
    const actionsBefore = s.emulator.service.actions.size;
    const res = await call('POST', BULK, {
      actionName: 'retire',
      deviceIds: Array.from({ length: BULK_IDS_MAX + 1 }, () => ids[0]),
    });
    expect(res.status).toBe(400);
    expect(res.json.error.message).toMatch(/deviceIds/);
    expect(s.emulator.service.actions.size).toBe(actionsBefore);
  });

  const deleteUserOf = async (start_: Awaited<ReturnType<typeof start>>) => {
    const { s, call, ids } = start_;
    const [gone, kept] = ids as [string, string];
    const upn = s.emulator.service.getDevice(gone)!.identity.user!.userPrincipalName;
    expect(s.emulator.service.getDevice(kept)!.identity.user!.userPrincipalName).not.toBe(upn);
    expect((await call('DELETE', `/sim/directory/users/${encodeURIComponent(upn)}`)).status).toBe(204);
    return { gone, kept };
  };

  it.each(['retire', 'wipe'])(
    "D-6: %s on a deleted user's device is reported failed, not notSupported",
    async (actionName) => {
      const started = await start();
      const { gone, kept } = await deleteUserOf(started);
      const res = await started.call('POST', BULK, { actionName, deviceIds: [gone, kept] });
      expect(res.json).toMatchObject({
        failedDeviceIds: [gone],
        successfulDeviceIds: [kept],
        notSupportedDeviceIds: [],
      });
    },
  );

  it("D-6: delete on a deleted user's device succeeds, and the record is gone (never both a failure and a removal)", async () => {
    const started = await start();
    const { gone, kept } = await deleteUserOf(started);
    const res = await started.call('POST', BULK, { actionName: 'delete', deviceIds: [gone, kept] });
    expect(res.json).toMatchObject({
      failedDeviceIds: [],
      successfulDeviceIds: [gone, kept],
      notSupportedDeviceIds: [],
    });
    expect((await started.call('GET', `/v1.0/deviceManagement/managedDevices/${gone}`)).status).toBe(404);
  });
});

describe('one order for every action, as Graph: 404 for an unknown device before the body is read', () => {
  it.each(['wipe', 'retire', 'cleanWindowsDevice', 'syncDevice'])('%s', async (action) => {
    const { call } = await start([{ platform: 'windows10', count: 1, osVersion: '22H2' } as never]);
    const res = await call('POST', `/v1.0/deviceManagement/managedDevices/no-such-device/${action}`, {
      notAProperty: 1,
    });
    expect(res.status).toBe(404);
    expect(res.json.error.code).toBe('ResourceNotFound');
  });
});
