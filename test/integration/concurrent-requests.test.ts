import { afterEach, describe, expect, it } from 'vitest';
import { type HttpEmulator, startHttpEmulator } from '../helpers/http-emulator.ts';

/**
 * A busy admin through Graph: the same request many times at once, a bulk request sent twice,
 * a retire and a delete together. One action per distinct request, and every action ends.
 */
let api: HttpEmulator | null = null;
afterEach(async () => {
  await api?.close();
  api = null;
});

type Audit = { id: string; managedDeviceId: string; action: string; actionState: string };
const audits = async (a: HttpEmulator) =>
  (await a.call('GET', '/beta/deviceManagement/remoteActionAudits')).json.value as Audit[];
const listed = async (a: HttpEmulator) =>
  (await a.call('GET', '/beta/deviceManagement/managedDevices')).json.value as { id: string }[];

async function advanceUntil(a: HttpEmulator, done: () => Promise<boolean>, hours = 24): Promise<void> {
  for (let i = 0; i < hours * 4 && !(await done()); i++) {
    expect((await a.call('POST', '/sim/clock/advance', { by: '15m' })).status).toBe(200);
  }
}

describe('concurrent and repeated requests through Graph', () => {
  it('100 identical wipes at once: all answered 204, one action recorded, and it ends done', async () => {
    api = await startHttpEmulator({
      seed: 'concurrent-wipes',
      cohorts: [{ platform: 'windows10', count: 1, osVersion: '22H2' }],
    });
    const [device] = await listed(api);
    const path = `/v1.0/deviceManagement/managedDevices/${device!.id}/wipe`;
    const answers = await Promise.all(Array.from({ length: 100 }, () => api!.call('POST', path, {})));
    expect(answers.map((r) => r.status)).toEqual(answers.map(() => 204));
    expect((await audits(api)).map((a) => [a.action, a.actionState])).toEqual([['factoryReset', 'pending']]);
    await advanceUntil(api, async () => (await audits(api!)).every((a) => a.actionState === 'done'));
    expect((await audits(api)).map((a) => a.actionState)).toEqual(['done']);
  });

  it('a bulk retire sent twice: one retire per device, every one done', async () => {
    api = await startHttpEmulator({
      seed: 'bulk-twice',
      cohorts: [{ platform: 'ios', count: 10, enrollmentType: 'companyPortal' }],
    });
    const ids = (await listed(api)).map((d) => d.id);
    for (let i = 0; i < 2; i++) {
      const r = await api.call('POST', '/beta/deviceManagement/managedDevices/executeAction', {
        actionName: 'retire',
        deviceIds: ids,
      });
      expect(r.json.successfulDeviceIds).toEqual(ids);
    }
    expect((await audits(api)).map((a) => a.managedDeviceId).sort()).toEqual([...ids].sort());
    await advanceUntil(api, async () => (await audits(api!)).every((a) => a.actionState === 'done'));
    expect((await audits(api)).map((a) => a.actionState)).toEqual(ids.map(() => 'done'));
  });

  it('D-1: retire and delete at once — the retire ends canceled with its reason, the removal runs', async () => {
    api = await startHttpEmulator({
      seed: 'retire-delete',
      cohorts: [{ platform: 'androidKnox', count: 1 }],
    });
    const [device] = await listed(api);
    const base = `/v1.0/deviceManagement/managedDevices/${device!.id}`;
    // Back to back, before the device has heard of the retire.
    const retired = await api.call('POST', `${base}/retire`, {});
    const deleted = await api.call('DELETE', base);
    expect([retired.status, deleted.status]).toEqual([204, 204]);
    await advanceUntil(api, async () =>
      (await audits(api!)).every((a) => !['pending', 'active'].includes(a.actionState)),
    );
    expect((await audits(api)).map((a) => [a.action, a.actionState])).toEqual([
      ['removeCompanyData', 'canceled'],
      ['delete', 'done'],
    ]);
  });
});
