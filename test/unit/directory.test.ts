import { describe, expect, it } from 'vitest';
import { factsOf } from '../../agent/model/facts.ts';
import { ADMIN } from '../helpers/admin.ts';
import { serviceCore, unenrolled } from '../helpers/service-core.ts';

const USER = 'pat@contoso.com';

describe('the directory (D-5, D-6, D-7)', () => {
  it('D-6: deleting a user is true once, logged once; the UPN matches in any case; an unknown user is false', () => {
    const { service, log } = serviceCore();
    service.directory.createUser(USER, 'Pat');
    expect(service.directory.isDeleted('PAT@contoso.com')).toBe(false);
    expect(service.directory.deleteUser('Pat@Contoso.com')).toBe(true);
    expect(service.directory.isDeleted(USER)).toBe(true);
    expect(service.directory.isDeleted(undefined)).toBe(false);
    expect(service.directory.deleteUser(USER)).toBe(false);
    expect(service.directory.deleteUser('nobody@contoso.com')).toBe(false);
    expect(log.ofType('directory.userDeleted')).toMatchObject([{ userPrincipalName: USER }]);
  });

  it('creating a deleted user again makes a live account of that name; ensureUser keeps the first record', () => {
    const { service, store } = serviceCore();
    const first = service.directory.ensureUser(USER, 'Pat');
    expect(service.directory.ensureUser('PAT@contoso.com', 'Other')).toBe(first);
    service.directory.deleteUser(USER);
    const again = service.directory.createUser(USER, 'Pat');
    expect(again.deleted).toBe(false);
    expect(store.loadAll().users).toEqual([{ userPrincipalName: USER, displayName: 'Pat', deleted: false }]);
  });

  it('D-6: retire, wipe and Fresh Start of a deleted user\u2019s device are refused naming the user; sync is not', () => {
    const core = serviceCore();
    const [d] = core.devices({ platform: 'windows10', count: 1, osVersion: '22H2', user: USER });
    const e = core.enroll(d!, 'enroll-d-0');
    core.service.directory.deleteUser(USER);
    for (const request of [
      { action: 'retire' },
      { action: 'wipe', options: {} },
      { action: 'freshStart', keepUserData: false },
    ] as const) {
      expect(core.service.requestAction(e.managedDeviceId, request, ADMIN), request.action).toEqual({
        ok: false,
        error: {
          code: 'userDeleted',
          message: expect.stringMatching(new RegExp(`Deleted user: ${USER}\\.$`)),
          specId: 'D-6',
        },
      });
    }
    expect(core.log.ofType('action.refused').map((r) => [r.action, r.code, r.specId])).toEqual([
      ['retire', 'userDeleted', 'D-6'],
      ['wipe', 'userDeleted', 'D-6'],
      ['freshStart', 'userDeleted', 'D-6'],
    ]);
    expect(core.service.requestAction(e.managedDeviceId, { action: 'sync' }, ADMIN).ok).toBe(true);
  });

  it('D-5: deleting the Azure AD record is true once and logged with D-5; management is untouched', () => {
    const core = serviceCore();
    const [d] = core.devices({ platform: 'windows10', count: 1, osVersion: '22H2' });
    const e = core.enroll(d!, 'enroll-d-0');
    const record = core.service.devices.get(e.managedDeviceId)!;
    expect(core.service.directory.azureAdDevices.get(record.azureADDeviceId)).toEqual({
      id: record.azureADDeviceId,
      deviceId: record.id,
      deleted: false,
    });
    expect(core.service.directory.deleteAzureAdDevice(record.azureADDeviceId)).toBe(true);
    expect(core.service.directory.deleteAzureAdDevice(record.azureADDeviceId)).toBe(false);
    expect(core.service.directory.deleteAzureAdDevice('no-such-record')).toBe(false);
    expect(core.log.ofType('directory.deviceDeleted')).toMatchObject([
      { azureADDeviceId: record.azureADDeviceId, specId: 'D-5' },
    ]);
    expect(core.store.loadAll().azureAdDevices).toEqual([
      { id: record.azureADDeviceId, deviceId: record.id, deleted: true },
    ]);
    expect(core.service.getDevice(e.managedDeviceId)?.listed).toBe(true);
    // The device leaving Azure AD later does not delete the record a second time.
    core.run(e, { action: 'retire' }, unenrolled(factsOf(d!.state)));
    expect(core.log.ofType('directory.deviceDeleted')).toHaveLength(1);
  });

  it('a wipe that takes the device out of Azure AD removes its record, citing W-1, once', () => {
    const core = serviceCore();
    const [d] = core.devices({ platform: 'windows10', count: 1, osVersion: '22H2' });
    const e = core.enroll(d!, 'enroll-d-0');
    const gone = unenrolled(factsOf(d!.state));
    const wipe = core.run(e, { action: 'wipe', options: {} }, gone);
    core.up(e.channelId, { type: 'result', commandId: wipe.id, status: 'done', rules: [], facts: gone }); // a repeat
    const aad = core.service.devices.get(e.managedDeviceId)!.azureADDeviceId;
    expect(core.log.ofType('directory.deviceDeleted')).toMatchObject([
      { azureADDeviceId: aad, specId: 'W-1' },
    ]);
    expect(core.service.directory.azureAdDevices.get(aad)?.deleted).toBe(true);
  });
});

describe('D-7: Apple Business Manager', () => {
  const ade = { platform: 'ios', enrollmentType: 'automatedDeviceEnrollment', count: 1 } as const;

  it('an ADE device enrolling by hand is assigned in ABM; unassigned, its automatic enrollment is refused and logged', () => {
    const core = serviceCore();
    const [d] = core.devices(ade);
    const serial = d!.identity.serialNumber;
    expect(core.service.directory.isAbmAssigned(serial)).toBe(false);
    core.enroll(d!, 'enroll-d-0');
    expect(core.service.directory.isAbmAssigned(serial)).toBe(true);
    expect(core.log.ofType('abm.assignment')).toMatchObject([{ serialNumber: serial, assigned: true }]);
    core.service.directory.setAbmAssignment(serial, false);
    expect(core.service.directory.isAbmAssigned(serial)).toBe(false);
    expect(core.store.loadAll().abm).toEqual([{ serialNumber: serial, assigned: false }]);
    const automatic = (requestId: string) => {
      core.service.handleEnroll(requestId, {
        v: 2,
        seq: 0,
        sentAtMs: 0,
        type: 'enroll',
        requestId,
        identity: d!.identity,
        facts: factsOf(d!.state),
        automatic: true,
        policies: [],
      });
      return core.sent.at(-1);
    };
    const reason = 'not assigned to this MDM server in Apple Business Manager';
    expect(automatic('auto-1')).toEqual({
      to: 'auto-1',
      message: { type: 'enrollRefused', requestId: 'auto-1', reason },
    });
    expect(core.log.ofType('device.enrollRefused')).toMatchObject([{ serialNumber: serial, reason }]);
    expect(core.service.devices.size).toBe(1);
    // Assigned again, it enrolls at setup by itself — a new record; no second ABM change.
    core.service.directory.setAbmAssignment(serial, true);
    expect(automatic('auto-2')?.message).toMatchObject({ type: 'enrolled' });
    expect(core.service.devices.size).toBe(2);
    expect(core.log.ofType('abm.assignment')).toHaveLength(3);
    expect(core.log.ofType('device.enrolled').map((x) => x.automatic)).toEqual([false, true]);
  });

  it('an ADE device unassigned in ABM that is enrolled by hand stays unassigned', () => {
    const core = serviceCore();
    const [d] = core.devices(ade);
    core.service.directory.setAbmAssignment(d!.identity.serialNumber, false);
    core.enroll(d!, 'enroll-d-0');
    expect(core.service.directory.isAbmAssigned(d!.identity.serialNumber)).toBe(false);
    expect(core.log.ofType('abm.assignment')).toHaveLength(1);
  });

  it('a device enrolled through the Company Portal is not put in ABM', () => {
    const core = serviceCore();
    const [d] = core.devices({ platform: 'ios', enrollmentType: 'companyPortal', count: 1 });
    core.enroll(d!, 'enroll-d-0');
    expect(core.service.directory.abm.size).toBe(0);
    expect(core.log.ofType('abm.assignment')).toEqual([]);
  });
});
