import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { PLATFORM_IDS } from '../../sim/platforms/types.ts';
import { type HttpEmulator, startHttpEmulator } from '../helpers/http-emulator.ts';

/**
 * End to end through HTTP only: enroll through /sim, act through Graph's paths, advance the
 * virtual clock through /sim, then read the managedDevice and the device's modeled state.
 */
let api: HttpEmulator | null = null;
afterEach(async () => {
  await api?.close();
  api = null;
});

const WIPEABLE = PLATFORM_IDS.filter((p) => p !== 'androidWorkProfile');
const RETIRABLE = PLATFORM_IDS.filter(
  (p) => !['androidDedicated', 'androidFullyManaged', 'androidCorporateWorkProfile'].includes(p),
);

async function enrollOne(a: HttpEmulator, platform: string) {
  const r = await a.call('POST', '/sim/fleet/enroll', {
    cohorts: [
      {
        platform,
        count: 1,
        ...(platform === 'ios' ? { enrollmentType: 'companyPortal' } : {}),
        ...(platform === 'windows10' ? { osVersion: '22H2' } : {}),
      },
    ],
  });
  expect(r.status).toBe(201);
  return r.json.devices[0] as { serialNumber: string; managedDeviceId: string };
}

describe.each([
  ['wipe', WIPEABLE],
  ['retire', RETIRABLE],
] as const)('%s through HTTP, per platform', (action, platforms) => {
  it.each(platforms)('%s', async (platform) => {
    api = await startHttpEmulator({ seed: `e2e-${action}-${platform}` });
    const device = await enrollOne(api, platform);
    await api.call('POST', '/sim/clock/advance', { by: '3h' });
    const posted = await api.call(
      'POST',
      `/beta/deviceManagement/managedDevices/${device.managedDeviceId}/${action}`,
      action === 'wipe' ? {} : undefined,
    );
    expect(posted.status).toBe(204);
    await api.call('POST', '/sim/clock/advance', { by: '15m' });
    const midway = await api.call('GET', `/beta/deviceManagement/managedDevices/${device.managedDeviceId}`);
    // Within 15 minutes the device has it (W-7, R-4): active, or already done and gone.
    if (midway.status === 200) {
      expect(midway.json.deviceActionResults.at(-1)).toMatchObject({
        actionName: action,
        actionState: expect.stringMatching(/active|done/),
      });
      expect(midway.json.managementState).toBe(action === 'wipe' ? 'wipePending' : 'retirePending');
    }
    await api.call('POST', '/sim/clock/advance', { by: '2h' });
    const after = await api.call('GET', `/beta/deviceManagement/managedDevices/${device.managedDeviceId}`);
    expect(after.status).toBe(404); // done: the record leaves the list
    const state = await api.call('GET', `/sim/devices/${device.serialNumber}`);
    expect(state.status).toBe(200);
    expect(state.json.identity.platform).toBe(platform);
    if (action === 'wipe') {
      expect(state.json.state.accounts).toEqual([]);
      expect(state.json.state.files).toEqual([]);
    } else {
      expect(state.json.state.management.enrolled).toBe(false);
      expect(state.json.state.management.policies).toEqual([]);
    }
    const audits = await api.call('GET', '/beta/deviceManagement/remoteActionAudits');
    expect(audits.json.value).toEqual([
      expect.objectContaining({
        managedDeviceId: device.managedDeviceId,
        action: action === 'wipe' ? 'factoryReset' : 'removeCompanyData',
        actionState: 'done',
        initiatedByUserPrincipalName: 'admin@contoso.onmicrosoft.com',
        deviceActionCategory: 'single',
      }),
    ]);
  });
});

describe('the rest of the control API, through HTTP', () => {
  it('power, network and faults; a protected wipe survives a power cut; events as JSON lines and over a WebSocket', async () => {
    api = await startHttpEmulator({
      seed: 'e2e-power',
      cohorts: [{ platform: 'windows10', count: 2, osVersion: '22H2' }],
    });
    const fleet = (await api.call('GET', '/sim/fleet/devices')).json.devices as {
      serialNumber: string;
      managedDeviceId: string;
    }[];
    expect(fleet).toHaveLength(2);
    const [a, b] = fleet;
    const ws = new WebSocket(
      `${api.base.replace('http', 'ws')}/sim/events/stream?deviceId=${a!.managedDeviceId}&type=action.acknowledged,action.completed&access_token=${api.token}`,
    );
    const streamed: any[] = [];
    await new Promise<void>((resolve) => {
      ws.on('message', (m) => {
        const e = JSON.parse(String(m));
        streamed.push(e);
        if (e.type === 'stream.open') resolve();
      });
    });
    expect(
      (
        await api.call('POST', `/beta/deviceManagement/managedDevices/${a!.managedDeviceId}/wipe`, {
          useProtectedWipe: true,
        })
      ).status,
    ).toBe(204);
    await api.call('POST', '/sim/clock/advance', { by: '10m' });
    const cut = await api.call('POST', `/sim/devices/${a!.serialNumber}/power`, { on: false });
    expect(cut.json.state.power).toBe('off');
    expect(cut.json.state.nvram.resetJob).toMatchObject({ protectedWipe: true });
    await api.call('POST', '/sim/clock/advance', { by: '1h' });
    await api.call('POST', `/sim/devices/${a!.serialNumber}/power`, { on: true });
    await api.call('POST', '/sim/clock/advance', { by: '2h' });
    expect((await api.call('GET', `/sim/devices/${a!.serialNumber}`)).json.state.accounts).toEqual([]);
    // Network off: a retire waits.
    expect(
      (await api.call('POST', `/sim/devices/${b!.serialNumber}/network`, { online: false })).json.state
        .network,
    ).toBe('offline');
    expect(
      (
        await api.call('POST', `/sim/devices/${b!.serialNumber}/faults`, {
          conditions: { rollbackFails: true },
          recoveryEnvironmentHealthy: true,
        })
      ).json.state.conditions.rollbackFails,
    ).toBe(true);
    await api.call('POST', `/v1.0/deviceManagement/managedDevices/${b!.managedDeviceId}/retire`);
    await api.call('POST', '/sim/clock/advance', { by: '1h' });
    expect(
      (await api.call('GET', `/beta/deviceManagement/managedDevices/${b!.managedDeviceId}`)).json
        .managementState,
    ).toBe('retireIssued');

    const lines = await api.call('GET', `/sim/events?deviceId=${a!.managedDeviceId}&type=action.completed`);
    expect(lines.headers.get('content-type')).toMatch(/application\/x-ndjson/);
    const completed = lines.text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(completed).toEqual([
      expect.objectContaining({ type: 'action.completed', status: 'done', action: 'wipe' }),
    ]);
    expect(streamed.map((e) => e.type)).toEqual(['stream.open', 'action.acknowledged', 'action.completed']);
    ws.close();
    expect((await api.call('GET', '/sim/events?from=not-a-date')).status).toBe(400);
    expect((await api.call('GET', `/sim/events?to=${new Date(0).toISOString()}`)).text).toBe('');
  });

  it('directory, Apple Business Manager, push outages and the Company Portal, through HTTP', async () => {
    api = await startHttpEmulator({
      seed: 'e2e-dir',
      cohorts: [
        { platform: 'ios', count: 1, enrollmentType: 'companyPortal', user: 'ann@contoso.com' },
        { platform: 'androidKnox', count: 1, user: 'bob@contoso.com' },
      ],
    });
    const [ios, knox] = (await api.call('GET', '/sim/fleet/devices')).json.devices as {
      serialNumber: string;
      managedDeviceId: string;
    }[];
    // S-5: Ann retires her own iPhone from the Company Portal; the audit shows her as the initiator.
    const cp = await api.call('POST', '/sim/company-portal', {
      managedDeviceId: ios!.managedDeviceId,
      userPrincipalName: 'ann@contoso.com',
      action: 'retire',
    });
    expect(cp.status).toBe(202);
    const audit = (await api.call('GET', '/beta/deviceManagement/remoteActionAudits')).json.value[0];
    expect(audit).toMatchObject({
      initiatedByUserPrincipalName: 'ann@contoso.com',
      deviceOwnerUserPrincipalName: 'ann@contoso.com',
      action: 'removeCompanyData',
    });
    expect(
      (
        await api.call('POST', '/sim/company-portal', {
          managedDeviceId: knox!.managedDeviceId,
          userPrincipalName: 'ann@contoso.com',
          action: 'wipe',
        })
      ).status,
    ).toBe(400);
    // D-6 through HTTP: delete Bob, then his device can no longer be wiped.
    expect((await api.call('DELETE', '/sim/directory/users/bob@contoso.com')).status).toBe(204);
    const refused = await api.call(
      'POST',
      `/v1.0/deviceManagement/managedDevices/${knox!.managedDeviceId}/wipe`,
      {},
    );
    expect(refused.status).toBe(400);
    expect(refused.json.error.message).toMatch(/bob@contoso.com.*userDeleted; rule D-6/);
    expect((await api.call('DELETE', '/sim/directory/users/nobody@contoso.com')).status).toBe(404);
    expect(
      (
        await api.call('POST', '/sim/directory/users', {
          userPrincipalName: 'cat@contoso.com',
          displayName: 'Cat',
        })
      ).status,
    ).toBe(201);
    // D-5 and D-7 endpoints.
    const record = (await api.call('GET', `/v1.0/deviceManagement/managedDevices/${knox!.managedDeviceId}`))
      .json;
    expect((await api.call('DELETE', `/sim/directory/devices/${record.azureADDeviceId}`)).status).toBe(204);
    expect(
      (await api.call('GET', `/v1.0/deviceManagement/managedDevices/${knox!.managedDeviceId}`)).status,
    ).toBe(200);
    expect((await api.call('PUT', `/sim/abm/${ios!.serialNumber}`, { assigned: false })).json).toEqual({
      serialNumber: ios!.serialNumber,
      assigned: false,
    });
    // Push outage.
    expect((await api.call('PUT', '/sim/push/FCM', { up: false })).json).toEqual({ channelsDown: ['FCM'] });
    expect((await api.call('PUT', '/sim/push/SMS', { up: false })).status).toBe(404);
    expect((await api.call('GET', '/sim/push')).json).toEqual({ channelsDown: ['FCM'] });
  });

  it('executeAction (beta) wipes many at once and sorts ids into successful, not found and not supported', async () => {
    api = await startHttpEmulator({
      seed: 'e2e-bulk',
      cohorts: [
        { platform: 'windows10', count: 3, osVersion: '22H2' },
        { platform: 'androidWorkProfile', count: 1 },
      ],
    });
    const devices = (await api.call('GET', '/beta/deviceManagement/managedDevices')).json.value as {
      id: string;
      operatingSystem: string;
    }[];
    const pcs = devices.filter((d) => d.operatingSystem === 'Windows').map((d) => d.id);
    const workProfile = devices.find((d) => d.operatingSystem === 'Android')!.id;
    const r = await api.call('POST', '/beta/deviceManagement/managedDevices/executeAction', {
      actionName: 'wipe',
      keepUserData: true,
      deviceIds: [...pcs, workProfile, 'no-such-device'],
    });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({
      successfulDeviceIds: pcs,
      failedDeviceIds: [],
      notFoundDeviceIds: ['no-such-device'],
      notSupportedDeviceIds: [workProfile], // W-8
    });
    const audits = (await api.call('GET', '/beta/deviceManagement/remoteActionAudits')).json.value;
    expect(audits).toHaveLength(3);
    expect(new Set(audits.map((a: any) => a.bulkDeviceActionId)).size).toBe(1);
    expect(audits[0]).toMatchObject({
      action: 'factoryResetKeepEnrollmentData',
      deviceActionCategory: 'bulk',
    });
    const unknown = await api.call('POST', '/beta/deviceManagement/managedDevices/executeAction', {
      actionName: 'selfDestruct',
      deviceIds: pcs,
    });
    expect(unknown.status).toBe(400);
    expect(unknown.json.error.message).toMatch(/actionName/);
    const rebooted = await api.call('POST', '/beta/deviceManagement/managedDevices/executeAction', {
      actionName: 'rebootNow',
      deviceIds: pcs,
    });
    expect(rebooted.json.notSupportedDeviceIds).toEqual(pcs);
    // DELETE through Graph: 204, then 404 (D-1).
    expect((await api.call('DELETE', `/v1.0/deviceManagement/managedDevices/${pcs[0]}`)).status).toBe(204);
    expect((await api.call('GET', `/v1.0/deviceManagement/managedDevices/${pcs[0]}`)).status).toBe(404);
  });

  it('clock: read, advance in virtual mode (bad durations refused), speed only in scaled mode', async () => {
    api = await startHttpEmulator({ seed: 'clock' });
    const before = (await api.call('GET', '/sim/clock')).json;
    expect(before).toMatchObject({ mode: 'virtual', speed: null });
    const after = (await api.call('POST', '/sim/clock/advance', { by: 'PT90M' })).json;
    expect(after.nowMs - before.nowMs).toBe(90 * 60_000);
    expect((await api.call('POST', '/sim/clock/advance', { by: 'soon' })).json.error.message).toMatch(
      /not a duration/,
    );
    expect((await api.call('PUT', '/sim/clock/speed', { speed: 10 })).status).toBe(400);
    expect((await api.call('GET', '/sim/devices/nope')).status).toBe(404);
    expect(
      (await api.call('POST', '/sim/fleet/enroll', { cohorts: [{ platform: 'palm', count: 1 }] })).status,
    ).toBe(400);
  });
});

describe('syncDevice, delete and cleanWindowsDevice through HTTP, per platform', () => {
  it.each(PLATFORM_IDS)('%s', async (platform) => {
    api = await startHttpEmulator({ seed: `e2e-more-${platform}` });
    const device = await enrollOne(api, platform);
    await api.call('POST', '/sim/clock/advance', { by: '3h' });
    const path = `/v1.0/deviceManagement/managedDevices/${device.managedDeviceId}`;
    const before = (await api.call('GET', path)).json.lastSyncDateTime;
    // S-6: a sync makes the device check in at once.
    expect((await api.call('POST', `${path}/syncDevice`)).status).toBe(204);
    await api.call('POST', '/sim/clock/advance', { by: '5m' });
    const synced = (await api.call('GET', path)).json;
    const now = (await api.call('GET', '/sim/clock')).json.nowMs;
    expect(Date.parse(synced.lastSyncDateTime)).toBeGreaterThan(Date.parse(before));
    expect(now - Date.parse(synced.lastSyncDateTime)).toBeLessThan(5 * 60_000); // it checked in at once
    expect(synced.deviceActionResults.at(-1)).toMatchObject({
      actionName: 'syncDevice',
      actionState: 'done',
    });
    // F-1..F-4: Fresh Start on Windows 10 1709+, refused elsewhere.
    const fresh = await api.call('POST', `${path}/cleanWindowsDevice`, { keepUserData: true });
    if (platform === 'windows10') {
      expect(fresh.status).toBe(204);
      await api.call('POST', '/sim/clock/advance', { by: '2h' });
      const state = (await api.call('GET', `/sim/devices/${device.serialNumber}`)).json.state;
      expect(state.apps).toEqual([]);
      expect((await api.call('GET', path)).json.deviceActionResults.at(-1)).toMatchObject({
        actionName: 'cleanWindowsDevice',
        actionState: 'done',
      });
    } else {
      expect(fresh.status).toBe(400);
      expect(fresh.json.error.message).toMatch(/F-4/);
    }
    // D-1: delete → 204, 404 at once; the device loses company data at its next check-in.
    expect((await api.call('DELETE', path)).status).toBe(204);
    expect((await api.call('GET', path)).status).toBe(404);
    await api.call('POST', '/sim/clock/advance', { by: '10h' });
    expect(
      (await api.call('GET', `/sim/devices/${device.serialNumber}`)).json.state.management.enrolled,
    ).toBe(false);
  });
});

describe('the scaled clock through /sim', () => {
  it('changes speed (persisted and published to agents); advancing is for the virtual clock only', async () => {
    api = await startHttpEmulator({ seed: 'scaled', clock: 'scaled' });
    const r = await api.call('PUT', '/sim/clock/speed', { speed: 600 });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ mode: 'scaled', speed: 600 });
    expect((await api.call('GET', '/sim/clock')).json.speed).toBe(600);
    const refused = await api.call('POST', '/sim/clock/advance', { by: '1h' });
    expect(refused.status).toBe(400);
    expect(refused.json.error.message).toMatch(/scaled/);
    expect((await api.call('PUT', '/sim/clock/speed', { speed: -1 })).status).toBe(400);
    expect((await api.call('PUT', '/sim/clock/speed', { speed: 1e9 })).status).toBe(400);
  });
});
