import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { factsOf } from '../../agent/model/facts.ts';
import { DISCONNECT_AFTER_MS } from '../../broker/service/device-desk.ts';
import { isOpen } from '../../broker/service/registry.ts';
import type { IntuneService } from '../../broker/service/service.ts';
import { DuplicateKeyError } from '../../broker/service/types.ts';
import type { ActionRequest } from '../../sim/eligibility.ts';
import { ADMIN } from '../helpers/admin.ts';
import { serviceCore, unenrolled } from '../helpers/service-core.ts';

/**
 * The service's half of the crash-safe protocol, driven by hand: ids never reused, repeated
 * enrollment requests, pages of commands, coalesced requests, results acknowledged after the
 * commit, and every action reaching a final state.
 */
let dir = '';
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = '';
});

const PC = { platform: 'windows10', count: 1, osVersion: '22H2' } as const;

/** The invariant: an action is open only while its device's record is there and its credentials work. */
function openOnlyWhereReachable(service: IntuneService): string[] {
  const wrong: string[] = [];
  for (const action of service.actions.values()) {
    if (!isOpen(action)) continue;
    const device = service.devices.get(action.deviceId)!;
    const channel = service.channels.get(device.channelId)!;
    if (device.removedAtMs !== null || channel.revoked)
      wrong.push(`${action.id} (${action.kind}, ${action.state})`);
  }
  return wrong;
}

/** One enrolled Windows 10 PC on the service core, and the facts it reports. */
function onePc() {
  const core = serviceCore();
  const [d] = core.devices(PC);
  return { core, e: core.enroll(d!, 'enroll-d-0'), facts: factsOf(d!.state) };
}

function request(service: IntuneService, deviceId: string, r: ActionRequest) {
  const result = service.requestAction(deviceId, r, ADMIN);
  if (!result.ok || !result.value) throw new Error(`refused: ${JSON.stringify(result)}`);
  return result.value;
}

describe('ids are never reused', () => {
  it('a service restarted on the same database hands out new ids for records and actions, with the same seed', () => {
    dir = mkdtempSync(join(tmpdir(), 'fleetsim-ids-'));
    const db = join(dir, 'service.db');
    const first = serviceCore({ db });
    const [a, b] = first.devices({ ...PC, count: 2 });
    const ea = first.enroll(a!, 'enroll-a-0');
    const retire = request(first.service, ea.managedDeviceId, { action: 'retire' });
    first.store.close();

    const second = serviceCore({ db }); // same seed, as after a crash and restart
    const eb = second.enroll(b!, 'enroll-b-0');
    const sync = request(second.service, eb.managedDeviceId, { action: 'sync' });
    expect(eb.managedDeviceId).not.toBe(ea.managedDeviceId);
    expect(eb.channelId).not.toBe(ea.channelId);
    expect(sync.id).not.toBe(retire.id);
    // Nothing was overwritten: both records and both actions are there.
    expect([...second.service.devices.keys()].sort()).toEqual(
      [ea.managedDeviceId, eb.managedDeviceId].sort(),
    );
    expect(second.service.actions.get(retire.id)?.kind).toBe('retire');
    expect(second.service.actions.get(sync.id)?.kind).toBe('sync');
    second.store.close();
  });

  it('the same seed on a fresh store gives the same ids (determinism)', () => {
    const ids = () => {
      const core = serviceCore();
      const [d] = core.devices(PC);
      return core.enroll(d!, 'enroll-x-0').managedDeviceId;
    };
    expect(ids()).toBe(ids());
  });

  it('the store refuses a duplicate id loudly instead of overwriting', () => {
    const { service, store, devices, enroll } = serviceCore();
    const [d] = devices(PC);
    const e = enroll(d!, 'enroll-d-0');
    const record = service.devices.get(e.managedDeviceId)!;
    expect(() => store.createDevice({ ...record, deviceName: 'other' } as never)).toThrow(DuplicateKeyError);
    expect(() => store.createDevice(record)).toThrow(/refusing to overwrite devices record/);
  });
});

describe('enrollment is idempotent', () => {
  it('a repeated request gets the same record and the same credentials back; no second record', () => {
    const { service, devices, enroll, log } = serviceCore();
    const [d] = devices(PC);
    const first = enroll(d!, 'enroll-d-0');
    const again = enroll(d!, 'enroll-d-0');
    expect(again).toEqual(first); // an answer to an attempt the device gave up on still works
    expect(service.authenticateChannel(first.channelId, first.token)).toBe(true);
    expect(service.devices.size).toBe(1);
    expect(log.ofType('device.enrolled')).toHaveLength(1);
    expect(log.ofType('device.enrollRepeated')).toMatchObject([{ deviceId: first.managedDeviceId }]);
  });

  it('once the device has used its credentials, the same request id gets nothing of that channel', () => {
    const { service, devices, enroll, up } = serviceCore();
    const [d] = devices(PC);
    const first = enroll(d!, 'enroll-d-0');
    up(first.channelId, { type: 'checkIn', reason: 'enrolled', facts: factsOf(d!.state) });
    const replayed = enroll(d!, 'enroll-d-0'); // someone holding the enrollment token, guessing the id
    expect(replayed.channelId).not.toBe(first.channelId);
    expect(replayed.managedDeviceId).not.toBe(first.managedDeviceId);
    expect(replayed.token).not.toBe(first.token); // nothing learned of the first channel's credentials
    expect(service.authenticateChannel(first.channelId, first.token)).toBe(true); // the device is not locked out
  });

  it('a new request id is a new enrollment (D-9), and a request id from another serial is not a repeat', () => {
    const { service, devices, enroll } = serviceCore();
    const [a, b] = devices({ ...PC, count: 2 });
    const first = enroll(a!, 'enroll-a-0');
    const other = enroll(b!, 'enroll-a-0');
    const next = enroll(a!, 'enroll-a-1');
    expect(new Set([first.managedDeviceId, other.managedDeviceId, next.managedDeviceId]).size).toBe(3);
    expect(service.devices.size).toBe(3);
  });
});

describe('two devices with one serial number', () => {
  it('a serial still managed enrolling from a device that differs is kept, and the log says what differs', () => {
    const { service, devices, enroll, log } = serviceCore();
    const [a] = devices(PC, 'fleet-one');
    const [other] = devices(PC, 'fleet-two'); // another seed: another name and MAC address
    const twin = { ...other!, identity: { ...other!.identity, serialNumber: a!.identity.serialNumber } };
    const first = enroll(a!, 'enroll-a-0');
    const second = enroll(twin, 'enroll-twin-0');
    expect(service.listDevices()).toHaveLength(2);
    expect(log.ofType('device.serialConflict')).toEqual([
      expect.objectContaining({
        serialNumber: a!.identity.serialNumber,
        deviceId: second.managedDeviceId,
        previousId: first.managedDeviceId,
        differs: expect.arrayContaining(['deviceName', 'wiFiMacAddress']),
      }),
    ]);
  });

  it('the same device enrolling again (D-9 after it left) is no conflict', () => {
    const { service, devices, enroll, log } = serviceCore();
    const [a] = devices(PC);
    const first = enroll(a!, 'enroll-a-0');
    service.removeRecord(service.devices.get(first.managedDeviceId)!, 'retire', 'R-1');
    enroll(a!, 'enroll-a-1');
    expect(log.ofType('device.serialConflict')).toEqual([]);
  });
});

describe('commands go out in pages', () => {
  it('a queue longer than a page is delivered page by page, each answer saying whether more wait', () => {
    const core = serviceCore({ commandsPerMessage: 2 });
    const [d] = core.devices(PC);
    const e = core.enroll(d!, 'enroll-d-0');
    const facts = factsOf(d!.state);
    const requests: ActionRequest[] = [
      { action: 'sync' },
      { action: 'freshStart', keepUserData: true },
      { action: 'freshStart', keepUserData: false },
      { action: 'wipe', options: { keepEnrollmentData: true } },
      { action: 'wipe', options: { useProtectedWipe: true } },
    ];
    const ids = requests.map((r) => request(core.service, e.managedDeviceId, r).id);
    const delivered: string[] = [];
    for (let page = 0; page < 3; page++) {
      core.up(e.channelId, { type: 'checkIn', reason: page === 0 ? 'push' : 'more', facts });
      const answer = core.sentTo(e.channelId, 'commands').at(-1)!;
      expect(answer.commands.length).toBeLessThanOrEqual(2);
      expect(answer.more).toBe(page < 2);
      for (const c of answer.commands) {
        delivered.push(c.id);
        core.up(e.channelId, { type: 'ack', commandId: c.id });
        // A managed device completes them one by one (a keep-enrollment reset keeps it enrolled).
        core.up(e.channelId, { type: 'result', commandId: c.id, status: 'done', rules: [], facts });
      }
    }
    expect(delivered).toEqual(ids);
    expect(ids.map((id) => core.service.actions.get(id)!.state)).toEqual(ids.map(() => 'done'));
  });

  it('an action delivered but not yet reported is sent again at the next check-in (the device answers a repeat from its inbox)', () => {
    const { core, e, facts } = onePc();
    const sync = request(core.service, e.managedDeviceId, { action: 'sync' });
    core.up(e.channelId, { type: 'checkIn', reason: 'push', facts });
    core.up(e.channelId, { type: 'ack', commandId: sync.id });
    core.up(e.channelId, { type: 'checkIn', reason: 'schedule', facts });
    expect(core.sentTo(e.channelId, 'commands').map((m) => m.commands.map((c) => c.id))).toEqual([
      [sync.id],
      [sync.id],
    ]);
    expect(core.log.ofType('action.delivered')).toHaveLength(1); // delivered once, sent twice
  });
});

describe('results are acknowledged after the commit, repeats included', () => {
  it('acknowledges a result once committed, and again (only) when the device repeats it', () => {
    const { core, e, facts } = onePc();
    const sync = request(core.service, e.managedDeviceId, { action: 'sync' });
    core.up(e.channelId, { type: 'checkIn', reason: 'push', facts });
    core.up(e.channelId, { type: 'result', commandId: sync.id, status: 'done', rules: [], facts });
    core.up(e.channelId, { type: 'result', commandId: sync.id, status: 'done', rules: [], facts });
    core.up(e.channelId, { type: 'result', commandId: 'never-sent', status: 'done', rules: [], facts });
    expect(core.sentTo(e.channelId, 'resultAck').map((m) => m.commandIds)).toEqual([
      [sync.id],
      [sync.id],
      ['never-sent'],
    ]);
    expect(core.log.ofType('action.completed')).toHaveLength(1);
  });

  it('a device that left management is acknowledged first, then its credentials revoked and its connection dropped', async () => {
    const { core, e, facts } = onePc();
    const retire = request(core.service, e.managedDeviceId, { action: 'retire' });
    core.up(e.channelId, { type: 'checkIn', reason: 'push', facts });
    core.up(e.channelId, {
      type: 'result',
      commandId: retire.id,
      status: 'done',
      rules: ['R-1'],
      facts: unenrolled(facts),
    });
    expect(core.sent.at(-1)).toEqual({
      to: e.channelId,
      message: { type: 'resultAck', commandIds: [retire.id] },
    });
    expect(core.disconnected).toEqual([]); // not before the acknowledgement has had time to arrive
    await core.clock.advanceBy(DISCONNECT_AFTER_MS);
    expect(core.disconnected).toEqual([e.channelId]);
    expect(core.service.authenticateChannel(e.channelId, e.token)).toBe(false);
  });
});

describe('identical requests while one is open are one action', () => {
  it('100 identical wipes make one action; a different option makes another', () => {
    const { core, e } = onePc();
    const ids = new Set<string>();
    for (let i = 0; i < 100; i++)
      ids.add(request(core.service, e.managedDeviceId, { action: 'wipe', options: {} }).id);
    expect(ids.size).toBe(1);
    expect(core.log.ofType('action.coalesced')).toHaveLength(99);
    const protectedWipe = request(core.service, e.managedDeviceId, {
      action: 'wipe',
      options: { useProtectedWipe: true },
    });
    expect(ids.has(protectedWipe.id)).toBe(false);
    // Options in another order are the same request.
    const a = request(core.service, e.managedDeviceId, {
      action: 'wipe',
      options: { keepEnrollmentData: true, keepUserData: true },
    });
    const b = request(core.service, e.managedDeviceId, {
      action: 'wipe',
      options: { keepUserData: true, keepEnrollmentData: true },
    });
    expect(b.id).toBe(a.id);
  });

  it('once the first has ended, the same request is a new action', () => {
    const { core, e, facts } = onePc();
    const first = request(core.service, e.managedDeviceId, { action: 'sync' });
    core.up(e.channelId, { type: 'result', commandId: first.id, status: 'done', rules: [], facts });
    expect(request(core.service, e.managedDeviceId, { action: 'sync' }).id).not.toBe(first.id);
  });
});

describe('every action reaches a final state', () => {
  it('a device leaving management ends its other open actions as canceled', () => {
    const { core, e, facts } = onePc();
    const retire = request(core.service, e.managedDeviceId, { action: 'retire' });
    const sync = request(core.service, e.managedDeviceId, { action: 'sync' });
    core.up(e.channelId, { type: 'checkIn', reason: 'push', facts });
    core.up(e.channelId, {
      type: 'result',
      commandId: retire.id,
      status: 'done',
      rules: [],
      facts: unenrolled(facts),
    });
    expect(core.service.actions.get(sync.id)).toMatchObject({
      state: 'canceled',
      reasonCode: 'canceledDeviceLeftManagement',
    });
    expect(openOnlyWhereReachable(core.service)).toEqual([]);
  });

  it('D-1: retire and delete at once — the retire not yet received ends canceled; only the removal is delivered', () => {
    const { core, e, facts } = onePc();
    const retire = request(core.service, e.managedDeviceId, { action: 'retire' });
    const deleted = core.service.deleteDevice(e.managedDeviceId, ADMIN);
    if (!deleted.ok || !deleted.value) throw new Error('delete refused');
    expect(core.service.actions.get(retire.id)).toMatchObject({
      state: 'canceled',
      reasonCode: 'canceledDeviceDeleted',
    });
    core.up(e.channelId, { type: 'checkIn', reason: 'schedule', facts });
    expect(
      core
        .sentTo(e.channelId, 'commands')
        .at(-1)!
        .commands.map((c) => c.id),
    ).toEqual([deleted.value.id]);
    core.up(e.channelId, {
      type: 'result',
      commandId: deleted.value.id,
      status: 'done',
      rules: ['D-1'],
      facts: unenrolled(facts),
    });
    expect(core.service.actions.get(deleted.value.id)?.state).toBe('done');
    expect(openOnlyWhereReachable(core.service)).toEqual([]);
  });

  it('D-1: an acknowledgement arriving after the delete does not overwrite deletePending; a removal cut short is queued again', () => {
    const { core, e, facts } = onePc();
    const wipe = request(core.service, e.managedDeviceId, { action: 'wipe', options: {} });
    core.up(e.channelId, { type: 'checkIn', reason: 'push', facts });
    const deleted = core.service.deleteDevice(e.managedDeviceId, ADMIN);
    if (!deleted.ok || !deleted.value) throw new Error('delete refused');
    core.up(e.channelId, { type: 'ack', commandId: wipe.id }); // late: sent before the delete, so it stays open
    const record = core.service.devices.get(e.managedDeviceId)!;
    expect(record.managementState).toBe('deletePending');
    core.up(e.channelId, { type: 'checkIn', reason: 'schedule', facts });
    core.up(e.channelId, { type: 'ack', commandId: deleted.value.id });
    expect(record.managementState).toBe('deletePending');
    // The removal ran but the device is still enrolled (power cut): it is queued again, the tombstone stays.
    core.up(e.channelId, {
      type: 'result',
      commandId: deleted.value.id,
      status: 'failed',
      reasonCode: 'powerLostDuringWipe',
      rules: [],
      facts,
    });
    expect(record.managementState).toBe('deletePending');
    const again = core.service.openActionsOf(record).filter((a) => a.kind === 'deleteRemoval');
    expect(core.service.openActionsOf(record).map((a) => [a.kind, a.state])).toEqual([
      ['wipe', 'active'],
      ['deleteRemoval', 'pending'],
    ]);
    core.up(e.channelId, { type: 'checkIn', reason: 'schedule', facts });
    expect(
      core
        .sentTo(e.channelId, 'commands')
        .at(-1)!
        .commands.map((c) => c.id),
    ).toEqual([again[0]!.id]);
  });

  it('D-1: a retire the device received before the delete still counts when its result comes: the device is out, nothing stays open', () => {
    const { core, e, facts } = onePc();
    const retire = request(core.service, e.managedDeviceId, { action: 'retire' });
    core.up(e.channelId, { type: 'checkIn', reason: 'push', facts }); // delivered
    const deleted = core.service.deleteDevice(e.managedDeviceId, ADMIN);
    if (!deleted.ok || !deleted.value) throw new Error('delete refused');
    expect(core.service.actions.get(retire.id)?.state).toBe('pending'); // not canceled: the device has it
    core.up(e.channelId, { type: 'ack', commandId: retire.id });
    core.up(e.channelId, {
      type: 'result',
      commandId: retire.id,
      status: 'done',
      rules: ['R-1'],
      facts: unenrolled(facts),
    });
    expect(core.service.actions.get(retire.id)?.state).toBe('done');
    expect(core.service.actions.get(deleted.value.id)).toMatchObject({ state: 'canceled' });
    expect(core.service.authenticateChannel(e.channelId, e.token)).toBe(false);
    expect(openOnlyWhereReachable(core.service)).toEqual([]);
  });

  it('S-1: a sync finishing while a wipe is pending leaves the state wipePending', () => {
    const { core, e, facts } = onePc();
    const sync = request(core.service, e.managedDeviceId, { action: 'sync' });
    const wipe = request(core.service, e.managedDeviceId, { action: 'wipe', options: {} });
    core.up(e.channelId, { type: 'checkIn', reason: 'push', facts });
    core.up(e.channelId, { type: 'ack', commandId: sync.id });
    core.up(e.channelId, { type: 'ack', commandId: wipe.id });
    core.up(e.channelId, { type: 'result', commandId: sync.id, status: 'done', rules: [], facts });
    expect(core.service.devices.get(e.managedDeviceId)!.managementState).toBe('wipePending');
  });

  it('D-6: deleting a device whose user was deleted succeeds with no action, and ends what was open', () => {
    const core = serviceCore();
    const [d] = core.devices({ ...PC, user: 'gone@contoso.com' });
    const e = core.enroll(d!, 'enroll-d-0');
    const sync = request(core.service, e.managedDeviceId, { action: 'sync' });
    core.service.directory.deleteUser('gone@contoso.com');
    const deleted = core.service.requestAction(e.managedDeviceId, { action: 'delete' }, ADMIN);
    expect(deleted).toEqual({ ok: true, value: null });
    expect(core.service.getDevice(e.managedDeviceId)).toBeUndefined();
    expect(core.service.actions.get(sync.id)).toMatchObject({
      state: 'canceled',
      reasonCode: 'canceledDeviceDeleted',
    });
    expect(core.log.ofType('device.removed')).toMatchObject([{ why: 'delete', specId: 'D-6' }]);
    expect(core.log.ofType('action.refused')).toEqual([]);
  });

  it('D-2: a record removed by cleanup ends its open actions (the device reappears as a new record, D-4)', () => {
    const { core, e } = onePc();
    const sync = request(core.service, e.managedDeviceId, { action: 'sync' });
    core.service.removeRecord(core.service.devices.get(e.managedDeviceId)!, 'cleanup', 'D-2');
    expect(core.service.actions.get(sync.id)).toMatchObject({
      state: 'canceled',
      reasonCode: 'canceledRecordRemoved',
    });
    expect(openOnlyWhereReachable(core.service)).toEqual([]);
  });
});
