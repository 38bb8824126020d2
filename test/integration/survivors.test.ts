import { afterEach, describe, expect, it } from 'vitest';
import { DAY_MS, HOUR_MS } from '../../sim/time-units.ts';
import { ADMIN, act, current } from '../helpers/admin.ts';
import { startVirtualFleet, type VirtualFleet } from '../helpers/virtual-fleet.ts';

/**
 * Behaviour no test checked before (survivors of a mutation study): each test is named for the rule
 * whose effect it asserts.
 */
let fleet: VirtualFleet | null = null;
afterEach(async () => {
  await fleet?.close();
  fleet = null;
});

describe('survivors: lifecycle rules no test looked at', () => {
  it('D-8: an idle device with nothing pending, cleanup off, keeps its record past certificate expiry + 180 days', async () => {
    fleet = await startVirtualFleet({
      seed: 'd8-idle',
      cohorts: [{ platform: 'ios', count: 1, enrollmentType: 'companyPortal' }],
    });
    const [agent] = fleet.runner.all();
    const record = fleet.recordOf(agent!)!;
    expect(fleet.server.service.cleanupDays).toBe(0);
    agent!.setNetwork(false);
    await fleet.clock.advanceTo(fleet.server.service.certificateExpiresAt(record) + 200 * DAY_MS);
    const kept = fleet.server.service.getDevice(record.id);
    expect(kept?.managementState).toBe('managed');
    expect(kept?.listed).toBe(true);
    expect(record.removedWhy).toBeNull();
  });

  it('D-6: Fresh Start is refused once the primary user is deleted, naming the user', async () => {
    fleet = await startVirtualFleet({
      seed: 'd6-fresh',
      cohorts: [{ platform: 'windows10', count: 1, osVersion: '22H2', user: 'fy@contoso.com' }],
    });
    const [agent] = fleet.runner.all();
    const record = fleet.recordOf(agent!)!;
    expect(fleet.server.service.directory.deleteUser('fy@contoso.com')).toBe(true);
    const result = fleet.server.service.requestAction(
      record.id,
      { action: 'freshStart', keepUserData: true },
      ADMIN,
    );
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.code).toBe('userDeleted');
    expect(!result.ok && result.error.message).toMatch(/fy@contoso\.com/);
  });

  it("W-1: a completed wipe removes the device's Azure AD record", async () => {
    fleet = await startVirtualFleet({
      seed: 'w1-aad',
      cohorts: [{ platform: 'windows10', count: 1, osVersion: '22H2', enrollmentType: 'azureAdJoin' }],
    });
    const [agent] = fleet.runner.all();
    const record = fleet.recordOf(agent!)!;
    const directory = fleet.server.service.directory;
    expect(directory.azureAdDevices.get(record.azureADDeviceId)?.deleted).toBe(false);
    const wipe = act(fleet, agent!, { action: 'wipe', options: {} });
    await fleet.clock.runUntil(() => current(fleet!, wipe).state === 'done', 4 * HOUR_MS);
    expect(current(fleet, wipe).state).toBe('done');
    expect(directory.azureAdDevices.get(record.azureADDeviceId)?.deleted).toBe(true);
  });

  it('R-AE-1: a work-profile retire removes the Azure AD registration, on the device and in the directory', async () => {
    fleet = await startVirtualFleet({
      seed: 'rae1-aad',
      cohorts: [{ platform: 'androidWorkProfile', count: 1 }],
    });
    const [agent] = fleet.runner.all();
    const record = fleet.recordOf(agent!)!;
    expect(agent!.device.state.azureAd.join).toBe('registered');
    const retire = act(fleet, agent!, { action: 'retire' });
    await fleet.clock.runUntil(() => current(fleet!, retire).state === 'done', HOUR_MS);
    expect(current(fleet, retire).state).toBe('done');
    expect(agent!.device.state.azureAd.join).toBe('none');
    expect(agent!.device.state.workProfile).toBeNull();
    expect(fleet.server.service.directory.azureAdDevices.get(record.azureADDeviceId)?.deleted).toBe(true);
  });
});
