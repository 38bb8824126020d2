import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { factsOf } from '../../agent/model/facts.ts';
import { DuplicateKeyError } from '../../broker/service/types.ts';
import { ADMIN } from '../helpers/admin.ts';
import { serviceCore, unenrolled } from '../helpers/service-core.ts';

const PC = { platform: 'windows10', count: 1, osVersion: '22H2' } as const;

function onePc() {
  const core = serviceCore();
  const [d] = core.devices(PC);
  return { core, d: d!, e: core.enroll(d!, 'enroll-d-0'), facts: factsOf(d!.state) };
}

describe('requests', () => {
  it('an unknown or unlisted device is notFound, naming the id', () => {
    const { core, e } = onePc();
    const notFound = (id: string) => ({
      ok: false,
      error: { code: 'notFound', message: `No managed device with id ${id}.` },
    });
    expect(core.service.requestAction('nope', { action: 'sync' }, ADMIN)).toEqual(notFound('nope'));
    expect(core.service.deleteDevice('nope', ADMIN)).toEqual(notFound('nope'));
    core.service.deleteDevice(e.managedDeviceId, ADMIN);
    expect(core.service.requestAction(e.managedDeviceId, { action: 'sync' }, ADMIN)).toEqual(
      notFound(e.managedDeviceId),
    );
    expect(core.service.requestAction(e.managedDeviceId, { action: 'delete' }, ADMIN)).toEqual(
      notFound(e.managedDeviceId),
    );
  });

  it('a queued action is logged with its Graph name, options and initiator; it moves the state and wakes the device', () => {
    const { core, e } = onePc();
    const by = { ...ADMIN, bulkId: 'bulk-1' };
    const wipe = core.service.requestAction(
      e.managedDeviceId,
      { action: 'wipe', options: { keepUserData: true } },
      by,
    );
    const fresh = core.service.requestAction(
      e.managedDeviceId,
      { action: 'freshStart', keepUserData: true },
      ADMIN,
    );
    const sync = core.service.requestAction(e.managedDeviceId, { action: 'sync' }, ADMIN);
    if (!wipe.ok || !fresh.ok || !sync.ok) throw new Error('refused');
    expect(wipe.value).toMatchObject({
      deviceId: e.managedDeviceId,
      kind: 'wipe',
      state: 'pending',
      requestedAtMs: core.clock.now(),
      lastUpdatedAtMs: core.clock.now(),
      deliveredAtMs: null,
      acknowledgedAtMs: null,
      completedAtMs: null,
      initiatedBy: ADMIN.userPrincipalName,
      source: 'admin',
      bulkId: 'bulk-1',
      reasonCode: null,
      rules: [],
    });
    expect(sync.value.bulkId).toBeNull();
    expect(
      core.log.ofType('action.requested').map((r) => [r.action, r.options, r.initiatedBy, r.source]),
    ).toStrictEqual([
      ['wipe', { keepUserData: true }, ADMIN.userPrincipalName, 'admin'],
      ['cleanWindowsDevice', { keepUserData: true }, ADMIN.userPrincipalName, 'admin'],
      ['syncDevice', {}, ADMIN.userPrincipalName, 'admin'],
    ]);
    const record = core.service.devices.get(e.managedDeviceId)!;
    expect(record.managementState).toBe('wipeIssued');
    expect(record.actionIds).toEqual([wipe.value.id, fresh.value.id, sync.value.id]);
    expect(core.store.loadAll().devices[0]?.actionIds).toEqual(record.actionIds);
    // One state change logged (discovered → wipeIssued); the Fresh Start's wipeIssued is no change.
    expect(core.log.ofType('device.managementState').map((s) => [s.from, s.to])).toEqual([
      ['discovered', 'wipeIssued'],
    ]);
    expect(core.sentTo(e.channelId, 'notify')).toHaveLength(1);
  });

  it('a repeat of an open action is joined and logged as coalesced, naming who asked', () => {
    const { core, e } = onePc();
    const first = core.service.requestAction(e.managedDeviceId, { action: 'retire' }, ADMIN);
    const again = core.service.requestAction(
      e.managedDeviceId,
      { action: 'retire' },
      {
        userPrincipalName: 'other@contoso.com',
        source: 'admin',
      },
    );
    if (!first.ok || !again.ok) throw new Error('refused');
    expect(again.value).toBe(first.value);
    expect(core.log.ofType('action.coalesced')).toMatchObject([
      {
        deviceId: e.managedDeviceId,
        actionId: first.value.id,
        action: 'retire',
        initiatedBy: 'other@contoso.com',
      },
    ]);
    // A Fresh Start keeping user data is not the same action as one that does not.
    const keep = core.service.requestAction(
      e.managedDeviceId,
      { action: 'freshStart', keepUserData: true },
      ADMIN,
    );
    const wipeAll = core.service.requestAction(
      e.managedDeviceId,
      { action: 'freshStart', keepUserData: false },
      ADMIN,
    );
    if (!keep.ok || !wipeAll.ok) throw new Error('refused');
    expect(keep.value.id).not.toBe(wipeAll.value.id);
  });

  it('D-1: delete takes the record off the list at once, deletePending, logged; the removal is not pushed', () => {
    const { core, e } = onePc();
    const deleted = core.service.deleteDevice(e.managedDeviceId, ADMIN);
    if (!deleted.ok || !deleted.value) throw new Error('refused');
    expect(deleted.value).toMatchObject({ kind: 'deleteRemoval', state: 'pending' });
    expect(core.service.listDevices()).toEqual([]);
    expect(core.service.devices.get(e.managedDeviceId)).toMatchObject({
      listed: false,
      managementState: 'deletePending',
    });
    expect(core.store.loadAll().devices[0]).toMatchObject({
      listed: false,
      managementState: 'deletePending',
    });
    expect(core.log.ofType('device.deletePending')).toMatchObject([
      { deviceId: e.managedDeviceId, specId: 'D-1' },
    ]);
    expect(core.log.ofType('action.requested')).toMatchObject([{ action: 'delete', options: {} }]);
    expect(core.sentTo(e.channelId, 'notify')).toEqual([]);
    expect(core.log.ofType('push.sent')).toEqual([]);
  });

  it('D-1: the removal done, the record is recorded as deleted (D-1)', () => {
    const { core, e, facts } = onePc();
    const deleted = core.service.deleteDevice(e.managedDeviceId, ADMIN);
    if (!deleted.ok || !deleted.value) throw new Error('refused');
    const gone = unenrolled(facts);
    core.up(e.channelId, {
      type: 'result',
      commandId: deleted.value.id,
      status: 'done',
      rules: [],
      facts: gone,
    });
    expect(core.service.devices.get(e.managedDeviceId)).toMatchObject({
      removedWhy: 'delete',
      listed: false,
    });
    expect(core.log.ofType('device.removed')).toMatchObject([{ why: 'delete', specId: 'D-1' }]);
  });

  it('removing a record ends every open action (delivered ones too), logged as canceled with the reason', () => {
    const { core, e, facts } = onePc();
    const wipe = core.service.requestAction(e.managedDeviceId, { action: 'wipe', options: {} }, ADMIN);
    if (!wipe.ok) throw new Error('refused');
    core.up(e.channelId, { type: 'checkIn', reason: 'push', facts });
    core.up(e.channelId, { type: 'ack', commandId: wipe.value.id });
    const sync = core.service.requestAction(e.managedDeviceId, { action: 'sync' }, ADMIN);
    if (!sync.ok) throw new Error('refused');
    core.service.removeRecord(core.service.devices.get(e.managedDeviceId)!, 'certificateExpired', 'D-8');
    for (const id of [wipe.value.id, sync.value.id])
      expect(core.service.actions.get(id)).toMatchObject({
        state: 'canceled',
        reasonCode: 'canceledRecordRemoved',
        completedAtMs: core.clock.now(),
        lastUpdatedAtMs: core.clock.now(),
      });
    expect(core.store.loadAll().actions.map((a) => a.state)).toEqual(['canceled', 'canceled']);
    expect(
      core.log.ofType('action.completed').map((c) => [c.actionId, c.action, c.status, c.reasonCode, c.rules]),
    ).toEqual([
      [wipe.value.id, 'wipe', 'canceled', 'canceledRecordRemoved', []],
      [sync.value.id, 'syncDevice', 'canceled', 'canceledRecordRemoved', []],
    ]);
    expect(core.store.loadAll().devices[0]).toMatchObject({
      listed: false,
      removedWhy: 'certificateExpired',
    });
  });
});

describe('enrollment', () => {
  it('logs the enrollment with its channel, serial number and platform; the record starts discovered', () => {
    const { core, d, e } = onePc();
    expect(core.log.ofType('device.enrolled')).toMatchObject([
      {
        deviceId: e.managedDeviceId,
        channelId: e.channelId,
        serialNumber: d.identity.serialNumber,
        platform: 'windows10',
        automatic: false,
      },
    ]);
    expect(e.channelId).toMatch(/^dev-[0-9a-f]{20}$/);
    expect(e.enrolledAtMs).toBe(core.clock.now());
    expect(core.service.devices.get(e.managedDeviceId)).toMatchObject({
      managementState: 'discovered',
      listed: true,
      lastSyncAtMs: null,
      removedAtMs: null,
      removedWhy: null,
      enrollRequestId: 'enroll-d-0',
    });
    expect(core.service.channels.get(e.channelId)).toMatchObject({
      deviceId: e.managedDeviceId,
      revoked: false,
      tokenHash: `h:${e.token}`,
    });
    // The primary user is in the directory now.
    const upn = d.identity.user!.userPrincipalName;
    expect(core.service.directory.users.get(upn.toLowerCase())).toMatchObject({ userPrincipalName: upn });
  });

  it('a repeat after the record was removed, or its channel revoked, is a new enrollment', () => {
    const { core, d, e } = onePc();
    core.service.removeRecord(core.service.devices.get(e.managedDeviceId)!, 'cleanup', 'D-2');
    const afterRemoval = core.enroll(d, 'enroll-d-0');
    expect(afterRemoval.managedDeviceId).not.toBe(e.managedDeviceId);
    core.service.channels.get(afterRemoval.channelId)!.revoked = true;
    const afterRevoke = core.enroll(d, 'enroll-d-0');
    expect(afterRevoke.managedDeviceId).not.toBe(afterRemoval.managedDeviceId);
    expect(core.log.ofType('device.enrollRepeated')).toEqual([]);
  });

  it('a serial conflict names exactly the identity fields that differ', () => {
    const { core, d, e } = onePc();
    const twin = { ...d, identity: { ...d.identity, model: 'Other model' } };
    const second = core.enroll(twin, 'enroll-twin-0');
    expect(core.log.ofType('device.serialConflict')).toEqual([
      expect.objectContaining({
        deviceId: second.managedDeviceId,
        previousId: e.managedDeviceId,
        differs: ['model'],
      }),
    ]);
    // The same identity again (a second request id) is no conflict.
    core.enroll(twin, 'enroll-twin-1');
    expect(core.log.ofType('device.serialConflict')).toHaveLength(1);
  });
});

describe('a service restarted on its store', () => {
  let dir = '';
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = '';
  });
  const onDisk = () => {
    dir = mkdtempSync(join(tmpdir(), 'fleetsim-restart-'));
    return join(dir, 'service.db');
  };

  it('answers a repeated enrollment request with the same working credentials (its token key is kept)', () => {
    const db = onDisk();
    const first = serviceCore({ db });
    const [d] = first.devices(PC);
    const e = first.enroll(d!, 'enroll-d-0');
    first.store.close();
    const second = serviceCore({ db, tokenSalt: 'restarted-' });
    const again = second.enroll(d!, 'enroll-d-0');
    expect(again).toEqual(e);
    expect(second.service.authenticateChannel(e.channelId, again.token)).toBe(true);
    second.store.close();
  });

  it('knows its users, deleted ones too, by any case of the UPN; the id sequence is stored under its name', () => {
    const db = onDisk();
    const first = serviceCore({ db });
    first.service.directory.createUser('Pat@Contoso.com', 'Pat');
    first.service.directory.deleteUser('pat@contoso.com');
    const id = first.service.newId();
    expect(id).toMatch(/^[0-9a-f]{8}-/);
    expect(first.store.loadAll().settings.idSequence).toBe(1);
    first.store.close();
    const second = serviceCore({ db });
    expect(second.service.directory.isDeleted('PAT@contoso.com')).toBe(true);
    expect(second.service.directory.isDeleted('someone@contoso.com')).toBe(false);
    expect(second.service.newId()).not.toBe(id);
    expect(second.service.cleanupDays).toBe(0);
    second.store.close();
  });
});

describe('devices without a primary user (kiosks)', () => {
  it('can be wiped and deleted: D-6 has no user to look for', () => {
    const core = serviceCore();
    const [d] = core.devices({ platform: 'androidDedicated', count: 1 });
    expect(d!.identity.user).toBeNull();
    const e = core.enroll(d!, 'enroll-d-0');
    expect(core.service.requestAction(e.managedDeviceId, { action: 'wipe', options: {} }, ADMIN).ok).toBe(
      true,
    );
    expect(core.service.deleteDevice(e.managedDeviceId, ADMIN).ok).toBe(true);
  });
});

it('DuplicateKeyError names itself, the table and the id', () => {
  const error = new DuplicateKeyError('devices', 'd-1');
  expect(error.name).toBe('DuplicateKeyError');
  expect(error.message).toBe('refusing to overwrite devices record d-1: ids are never reused');
});
