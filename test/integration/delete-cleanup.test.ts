import { afterEach, describe, expect, it } from 'vitest';
import { DAY_MS, HOUR_MS } from '../../sim/time-units.ts';
import { ADMIN, act, current } from '../helpers/admin.ts';
import { startVirtualFleet, type VirtualFleet } from '../helpers/virtual-fleet.ts';

let fleet: VirtualFleet | null = null;
afterEach(async () => {
  await fleet?.close();
  fleet = null;
});

const tokenOf = (f: VirtualFleet, i: number) => f.runner.all()[i]!.credentials!;

describe('D-1: delete', () => {
  it('removes the device from the list at once; at its next check-in a retire removes company data; then its credentials stop working', async () => {
    fleet = await startVirtualFleet({ seed: 'd1', cohorts: [{ platform: 'androidDeviceAdmin', count: 1 }] });
    await fleet.clock.advanceBy(3 * HOUR_MS);
    const [agent] = fleet.runner.all();
    const record = fleet.recordOf(agent!)!;
    const creds = tokenOf(fleet, 0);
    const result = fleet.server.service.deleteDevice(record.id, ADMIN);
    expect(result.ok).toBe(true);
    expect(fleet.server.service.getDevice(record.id)).toBeUndefined();
    expect(fleet.server.service.listDevices()).toEqual([]);
    expect(record.managementState).toBe('deletePending');
    // Not pushed: nothing happens on the device until its own next check-in.
    await fleet.clock.advanceBy(HOUR_MS);
    expect(agent!.device.state.management.enrolled).toBe(true);
    expect(fleet.server.service.authenticateChannel(creds.channelId, creds.token)).toBe(true);
    const removal = result.ok ? result.value : null;
    await fleet.clock.runUntil(() => current(fleet!, removal!).state === 'done', 10 * HOUR_MS);
    expect(current(fleet, removal!).command.type).toBe('retire');
    expect(agent!.device.state.management.enrolled).toBe(false);
    expect(agent!.device.state.management.deviceAdminPrivilege).toBe(false); // R-DA-9
    expect(record.removedWhy).toBe('delete');
    expect(fleet.server.service.authenticateChannel(creds.channelId, creds.token)).toBe(false);
  });

  it('an Android Enterprise fully managed device, which cannot be retired, is wiped at its next check-in [design]', async () => {
    fleet = await startVirtualFleet({
      seed: 'd1w',
      cohorts: [{ platform: 'androidFullyManaged', count: 1 }],
    });
    const [agent] = fleet.runner.all();
    const record = fleet.recordOf(agent!)!;
    const result = fleet.server.service.deleteDevice(record.id, ADMIN);
    const removal = result.ok ? result.value : null;
    await fleet.clock.runUntil(() => current(fleet!, removal!).state === 'done', 10 * HOUR_MS);
    expect(current(fleet, removal!).command).toMatchObject({ type: 'wipe', options: {} });
    expect(agent!.device.state.apps).toEqual([]);
    expect(agent!.device.state.boot).toBe('setup');
  });

  it('refuses a device that is not listed (404)', async () => {
    fleet = await startVirtualFleet({ seed: 'd1n', cohorts: [{ platform: 'macos', count: 1 }] });
    const record = fleet.recordOf(fleet.runner.all()[0]!)!;
    fleet.server.service.deleteDevice(record.id, ADMIN);
    expect(fleet.server.service.deleteDevice(record.id, ADMIN)).toMatchObject({
      ok: false,
      error: { code: 'notFound' },
    });
    expect(fleet.server.service.requestAction(record.id, { action: 'retire' }, ADMIN)).toMatchObject({
      ok: false,
      error: { code: 'notFound' },
    });
  });
});

describe('D-2, D-3, D-4, D-8: cleanup rules and certificate expiry', () => {
  it('D-2: accepts 0 (off) and 30–270 days, refuses anything else', async () => {
    fleet = await startVirtualFleet({ seed: 'd2v', cohorts: [{ platform: 'ios', count: 1 }] });
    const service = fleet.server.service;
    for (const ok of [0, 30, 90, 270]) expect(service.setCleanupDays(ok)).toEqual({ ok: true, value: ok });
    for (const bad of [1, 29, 271, 365, -30, 45.5, Number.NaN]) {
      expect(service.setCleanupDays(bad)).toMatchObject({
        ok: false,
        error: { code: 'invalidRequest', specId: 'D-2' },
      });
    }
    expect(service.cleanupDays).toBe(270);
  });

  it('D-2, D-3, D-4: after N days without a check-in the record goes — not the exempt Android Enterprise modes — and nothing is sent or revoked; back in touch, the device reappears as a new record', async () => {
    fleet = await startVirtualFleet({
      seed: 'd2',
      cohorts: [
        { name: 'phone', platform: 'androidKnox', count: 1 },
        { name: 'byod', platform: 'androidWorkProfile', count: 1 },
        { name: 'kiosk', platform: 'androidDedicated', count: 1 },
        { name: 'fm', platform: 'androidFullyManaged', count: 1 },
        { name: 'cope', platform: 'androidCorporateWorkProfile', count: 1 },
        { name: 'active', platform: 'windows10', count: 1, osVersion: '22H2' },
      ],
    });
    const service = fleet.server.service;
    expect(service.setCleanupDays(30).ok).toBe(true);
    const agents = fleet.runner.all();
    const [knox, byod, ...rest] = agents;
    const active = rest.at(-1)!;
    for (const a of agents) if (a !== active) a.setNetwork(false);
    const knoxRecord = fleet.recordOf(knox!)!;
    const knoxCreds = knox!.credentials!;
    await fleet.clock.advanceBy(29 * DAY_MS);
    expect(service.listDevices()).toHaveLength(6);
    await fleet.clock.advanceBy(2 * DAY_MS);
    const listed = service
      .listDevices()
      .map((d) => d.identity.platform)
      .sort();
    expect(listed).toEqual([
      'androidCorporateWorkProfile',
      'androidDedicated',
      'androidFullyManaged',
      'windows10',
    ]);
    expect(fleet.log.ofType('device.removed').map((e) => [e.why, e.specId])).toEqual([
      ['cleanup', 'D-2'],
      ['cleanup', 'D-2'],
    ]);
    expect(byod && fleet.recordOf(byod)?.removedWhy).toBe('cleanup'); // D-3 [reading]: BYOD work profiles are not exempt
    // D-4: no wipe or retire was sent, and the credentials still work.
    expect(fleet.log.ofType('action.requested')).toEqual([]);
    expect(knox!.device.state.management.enrolled).toBe(true);
    expect(service.authenticateChannel(knoxCreds.channelId, knoxCreds.token)).toBe(true);
    knox!.setNetwork(true);
    await fleet.clock.advanceBy(HOUR_MS);
    const reappeared = fleet.log.ofType('device.reappeared');
    expect(reappeared).toHaveLength(1);
    expect(reappeared[0]!.previousId).toBe(knoxRecord.id);
    const fresh = service.getDevice(reappeared[0]!.deviceId)!;
    expect(fresh.id).not.toBe(knoxRecord.id);
    expect(fresh.identity.serialNumber).toBe(knox!.serialNumber);
    expect(fresh.managementState).toBe('managed');
  });

  it('D-8: a device that never checks in stays wipe-pending until its certificate expires, and its record goes 180 days later', async () => {
    fleet = await startVirtualFleet({
      seed: 'd8',
      cohorts: [{ platform: 'ios', count: 1, enrollmentType: 'companyPortal' }],
    });
    const [agent] = fleet.runner.all();
    const record = fleet.recordOf(agent!)!;
    agent!.setNetwork(false);
    const wipe = act(fleet, agent!, { action: 'wipe', options: {} });
    const expires = fleet.server.service.certificateExpiresAt(record);
    expect(expires - record.enrolledAtMs).toBe(365 * DAY_MS);
    await fleet.clock.advanceTo(expires + 179 * DAY_MS);
    expect(fleet.server.service.getDevice(record.id)?.managementState).toBe('wipeIssued');
    expect(current(fleet, wipe).state).toBe('pending');
    // Past expiry its credentials no longer work.
    expect(
      fleet.server.service.authenticateChannel(agent!.credentials!.channelId, agent!.credentials!.token),
    ).toBe(false);
    await fleet.clock.advanceBy(2 * DAY_MS);
    expect(fleet.server.service.getDevice(record.id)).toBeUndefined();
    expect(record.removedWhy).toBe('certificateExpired');
  });
});

describe('regressions found in review', () => {
  it('D-8: a Fresh Start that never reaches its device is removed with its record too', async () => {
    fleet = await startVirtualFleet({
      seed: 'd8-fresh',
      cohorts: [{ platform: 'windows10', count: 1, osVersion: '22H2' }],
    });
    const [agent] = fleet.runner.all();
    const record = fleet.recordOf(agent!)!;
    agent!.setNetwork(false);
    act(fleet, agent!, { action: 'freshStart', keepUserData: true });
    await fleet.clock.advanceTo(fleet.server.service.certificateExpiresAt(record) + 181 * DAY_MS);
    expect(record.removedWhy).toBe('certificateExpired');
  });
});
