import { afterEach, describe, expect, it } from 'vitest';
import { HOUR_MS } from '../../sim/time-units.ts';
import { ADMIN, act, current } from '../helpers/admin.ts';
import { startVirtualFleet, type VirtualFleet } from '../helpers/virtual-fleet.ts';

let fleet: VirtualFleet | null = null;
afterEach(async () => {
  await fleet?.close();
  fleet = null;
});

describe('D-5: deleting the device in Azure AD', () => {
  it('removes the directory record but not the device from management', async () => {
    fleet = await startVirtualFleet({
      seed: 'd5',
      cohorts: [{ platform: 'windows10', count: 1, osVersion: '22H2' }],
    });
    const [agent] = fleet.runner.all();
    const record = fleet.recordOf(agent!)!;
    expect(fleet.server.service.directory.deleteAzureAdDevice(record.azureADDeviceId)).toBe(true);
    expect(fleet.server.service.directory.azureAdDevices.get(record.azureADDeviceId)?.deleted).toBe(true);
    await fleet.clock.advanceBy(10 * HOUR_MS);
    expect(fleet.server.service.getDevice(record.id)?.managementState).toBe('managed');
    expect(agent!.device.state.management.enrolled).toBe(true);
    // And Intune can still act on it.
    const sync = act(fleet, agent!, { action: 'sync' });
    await fleet.clock.runUntil(() => current(fleet!, sync).state === 'done', HOUR_MS);
    expect(current(fleet, sync).state).toBe('done');
  });
});

describe('D-6: a deleted user', () => {
  it('blocks retire and wipe of their devices with an error naming the user; sync still works', async () => {
    fleet = await startVirtualFleet({
      seed: 'd6',
      cohorts: [{ platform: 'ios', count: 2, enrollmentType: 'companyPortal', user: 'jo@contoso.com' }],
    });
    const service = fleet.server.service;
    const [a, b] = fleet.runner.all();
    const retireFirst = act(fleet, a!, { action: 'retire' }); // retire before deleting the user: fine
    expect(service.directory.deleteUser('jo@contoso.com')).toBe(true);
    const record = fleet.recordOf(b!)!;
    for (const request of [{ action: 'retire' }, { action: 'wipe', options: {} }] as const) {
      const refused = service.requestAction(record.id, request, ADMIN);
      expect(refused).toMatchObject({ ok: false, error: { code: 'userDeleted', specId: 'D-6' } });
      expect(refused.ok ? '' : refused.error.message).toContain('jo@contoso.com');
    }
    expect(service.requestAction(record.id, { action: 'sync' }, ADMIN).ok).toBe(true);
    expect(fleet.log.ofType('action.refused').map((e) => e.code)).toEqual(['userDeleted', 'userDeleted']);
    await fleet.clock.runUntil(() => current(fleet!, retireFirst).state === 'done', HOUR_MS);
    expect(current(fleet, retireFirst).state).toBe('done');
  });
});

describe('D-7 and D-9: enrolling again', () => {
  it('D-7: a wiped ADE device enrolls again at setup as a new record, until it is unassigned in Apple Business Manager', async () => {
    fleet = await startVirtualFleet({
      seed: 'd7',
      cohorts: [{ platform: 'ios', count: 1, enrollmentType: 'automatedDeviceEnrollment' }],
    });
    const service = fleet.server.service;
    const [agent] = fleet.runner.all();
    const first = fleet.recordOf(agent!)!;
    expect(service.directory.isAbmAssigned(agent!.serialNumber)).toBe(true);
    const wipe1 = act(fleet, agent!, { action: 'wipe', options: {} });
    await fleet.clock.runUntil(() => current(fleet!, wipe1).state === 'done', HOUR_MS);
    await fleet.clock.runUntil(
      () =>
        fleet!.recordOf(agent!)?.managementState === 'managed' && fleet!.recordOf(agent!)!.id !== first.id,
      HOUR_MS,
    );
    const second = fleet.recordOf(agent!)!;
    expect(second.id).not.toBe(first.id);
    expect(second.identity.serialNumber).toBe(first.identity.serialNumber);
    expect(service.getDevice(first.id)).toBeUndefined();
    expect(agent!.device.state.management.enrolled).toBe(true);
    expect(fleet.log.ofType('device.enrolled').filter((e) => e.automatic)).toHaveLength(1);

    // The admin retires it, then unassigns it in Apple Business Manager: a wipe is now final.
    service.directory.setAbmAssignment(agent!.serialNumber, false);
    const wipe2 = act(fleet, agent!, { action: 'wipe', options: {} });
    await fleet.clock.runUntil(() => current(fleet!, wipe2).state === 'done', HOUR_MS);
    await fleet.clock.advanceBy(2 * HOUR_MS);
    expect(agent!.credentials).toBeNull();
    expect(agent!.device.state.boot).toBe('setup');
    expect(fleet.log.ofType('device.enrollRefused').map((e) => e.serialNumber)).toEqual([
      agent!.serialNumber,
    ]);
    expect(service.listDevices()).toEqual([]);
  });

  it('D-9: a retired device enrolls again as a new record with a new id', async () => {
    fleet = await startVirtualFleet({ seed: 'd9', cohorts: [{ platform: 'androidKnox', count: 1 }] });
    const [agent] = fleet.runner.all();
    const first = fleet.recordOf(agent!)!;
    const retire = act(fleet, agent!, { action: 'retire' });
    await fleet.clock.runUntil(() => current(fleet!, retire).state === 'done', HOUR_MS);
    // The device lets go of its credentials once the service acknowledged its final result.
    await fleet.clock.runUntil(() => agent!.credentials === null, HOUR_MS);
    expect(agent!.credentials).toBeNull();
    agent!.enroll(false); // the user enrolls it again through the Company Portal
    await fleet.clock.runUntil(() => fleet!.recordOf(agent!)?.managementState === 'managed', HOUR_MS);
    const second = fleet.recordOf(agent!)!;
    expect(second.id).not.toBe(first.id);
    expect(fleet.server.service.listDevices().map((d) => d.id)).toEqual([second.id]);
  });
});

describe('S-5: Company Portal self-service', () => {
  it('the primary user can retire, wipe and sync their own device where the platform allows it, and shows as the initiator', async () => {
    fleet = await startVirtualFleet({
      seed: 's5',
      cohorts: [
        { name: 'byod', platform: 'ios', count: 1, enrollmentType: 'companyPortal', user: 'ann@contoso.com' },
        {
          name: 'ade',
          platform: 'ios',
          count: 1,
          enrollmentType: 'automatedDeviceEnrollment',
          user: 'ann@contoso.com',
        },
        { name: 'cope', platform: 'androidCorporateWorkProfile', count: 1, user: 'ann@contoso.com' },
        {
          name: 'aadj',
          platform: 'windows10',
          count: 1,
          enrollmentType: 'azureAdJoin',
          osVersion: '22H2',
          user: 'ann@contoso.com',
        },
        {
          name: 'wpj',
          platform: 'windows10',
          count: 1,
          enrollmentType: 'workplaceJoin',
          osVersion: '22H2',
          user: 'ann@contoso.com',
        },
      ],
    });
    const service = fleet.server.service;
    const [byod, ade, cope, aadj, wpj] = fleet.runner.all().map((a) => fleet!.recordOf(a)!);
    const cp = (id: string, action: 'retire' | 'wipe' | 'sync', upn = 'ann@contoso.com') =>
      service.companyPortalAction(id, upn, action);

    expect(cp(byod!.id, 'sync').ok).toBe(true);
    expect(cp(ade!.id, 'sync').ok).toBe(true);
    for (const action of ['retire', 'wipe'] as const) {
      expect(cp(ade!.id, action)).toMatchObject({
        ok: false,
        error: { code: 'companyPortalActionNotAllowed', specId: 'S-5' },
      });
      expect(cp(cope!.id, action)).toMatchObject({
        ok: false,
        error: { code: 'companyPortalActionNotAllowed', specId: 'S-5' },
      });
    }
    expect(cp(aadj!.id, 'retire')).toMatchObject({
      ok: false,
      error: { code: 'companyPortalActionNotAllowed' },
    });
    expect(cp(wpj!.id, 'retire', 'bob@contoso.com')).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('not the primary user') },
    });
    const retire = cp(wpj!.id, 'retire');
    expect(retire.ok).toBe(true);
    const wipe = cp(aadj!.id, 'wipe');
    expect(wipe.ok).toBe(true);
    if (retire.ok)
      expect(retire.value).toMatchObject({ initiatedBy: 'ann@contoso.com', source: 'companyPortal' });
    await fleet.clock.runUntil(() => retire.ok && current(fleet!, retire.value).state === 'done', HOUR_MS);
    expect(service.getDevice(wpj!.id)).toBeUndefined();
  });
});

describe('regressions found in review', () => {
  it('D-6: deleting the device of a deleted user removes the record but sends no retire or wipe', async () => {
    fleet = await startVirtualFleet({
      seed: 'd6-delete',
      cohorts: [{ platform: 'androidFullyManaged', count: 1, user: 'cy@contoso.com' }],
    });
    const [agent] = fleet.runner.all();
    const record = fleet.recordOf(agent!)!;
    fleet.server.service.directory.deleteUser('cy@contoso.com');
    const r = fleet.server.service.deleteDevice(record.id, ADMIN);
    expect(r).toEqual({ ok: true, value: null });
    expect(fleet.server.service.getDevice(record.id)).toBeUndefined();
    await fleet.clock.advanceBy(12 * HOUR_MS);
    expect(agent!.device.state.management.enrolled).toBe(true); // never wiped
    expect(fleet.log.ofType('action.requested')).toEqual([]);
  });

  it('R-IOS-8: after a retire the Azure AD directory record is gone too', async () => {
    fleet = await startVirtualFleet({
      seed: 'aad',
      cohorts: [{ platform: 'ios', count: 1, enrollmentType: 'companyPortal' }],
    });
    const [agent] = fleet.runner.all();
    const record = fleet.recordOf(agent!)!;
    const retire = act(fleet, agent!, { action: 'retire' });
    await fleet.clock.runUntil(() => current(fleet!, retire).state === 'done', HOUR_MS);
    expect(fleet.server.service.directory.azureAdDevices.get(record.azureADDeviceId)?.deleted).toBe(true);
    expect(fleet.server.service.directory.deleteAzureAdDevice(record.azureADDeviceId)).toBe(false);
  });

  it('S-5 and S-6: a Company Portal sync checks in at once, even with the push channel down', async () => {
    fleet = await startVirtualFleet({
      seed: 'cp-sync',
      cohorts: [{ platform: 'ios', count: 1, enrollmentType: 'companyPortal', user: 'dee@contoso.com' }],
    });
    await fleet.clock.advanceBy(3 * HOUR_MS);
    fleet.server.service.setPushChannel('APNs', false);
    const [agent] = fleet.runner.all();
    const record = fleet.recordOf(agent!)!;
    // The Company Portal runs on the device: the service queues the sync, the device checks in at once
    // (what Emulator.companyPortal and /sim/company-portal do).
    const result = fleet.server.service.companyPortalAction(record.id, 'dee@contoso.com', 'sync');
    agent!.checkInNow();
    expect(result.ok).toBe(true);
    await fleet.clock.runUntil(() => result.ok && current(fleet!, result.value).state === 'done', HOUR_MS);
    expect(
      result.ok && current(fleet, result.value).completedAtMs! - result.value.requestedAtMs,
    ).toBeLessThan(2 * 60_000);
  });
});
