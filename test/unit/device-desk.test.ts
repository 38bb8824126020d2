import { describe, expect, it } from 'vitest';
import { factsOf } from '../../agent/model/facts.ts';
import { DISCONNECT_AFTER_MS, REMOVAL_ATTEMPTS_MAX } from '../../broker/service/device-desk.ts';
import { ADMIN } from '../helpers/admin.ts';
import { serviceCore, unenrolled } from '../helpers/service-core.ts';

const POLICIES = [
  { id: 'p-1', name: 'Passcode', settings: [{ key: 'minLength', value: '6' }] },
  { id: 'p-2', name: 'Wi-Fi', settings: [] },
];

/** One Windows 10 PC enrolled with two policies, and the facts it reports while it holds them. */
function withPolicies() {
  const core = serviceCore();
  const [d] = core.devices({ platform: 'windows10', count: 1, osVersion: '22H2' });
  core.service.handleEnroll('enroll-d-0', {
    v: 2,
    seq: 0,
    sentAtMs: 0,
    type: 'enroll',
    requestId: 'enroll-d-0',
    identity: d!.identity,
    facts: factsOf(d!.state),
    automatic: false,
    policies: POLICIES,
  });
  const e = core.sent.at(-1)!.message;
  if (e.type !== 'enrolled') throw new Error('refused');
  const facts = { ...factsOf(d!.state), policyIds: ['p-1', 'p-2'] };
  return { core, e, facts, d: d! };
}

describe('check-ins', () => {
  it('W-5: a managed device lacking a policy gets the assignment back, with no commands; one holding them all gets nothing', () => {
    const { core, e, facts } = withPolicies();
    expect(e.policies).toEqual(POLICIES);
    core.up(e.channelId, { type: 'checkIn', reason: 'schedule', facts });
    expect(core.sentTo(e.channelId, 'commands')).toEqual([]);
    core.up(e.channelId, { type: 'checkIn', reason: 'schedule', facts: { ...facts, policyIds: ['p-2'] } });
    expect(core.sentTo(e.channelId, 'commands')).toEqual([
      { type: 'commands', commands: [], more: false, policies: POLICIES },
    ]);
    // A device that is no longer enrolled is not sent policies.
    core.up(e.channelId, {
      type: 'checkIn',
      reason: 'schedule',
      facts: { ...unenrolled(facts), policyIds: [] },
    });
    expect(core.sentTo(e.channelId, 'commands')).toHaveLength(1);
  });

  it('a device enrolling again with no policies gets what its serial number had (W-5, D-7); with its own, keeps them', () => {
    const { core, d } = withPolicies();
    const again = core.enroll(d, 'enroll-d-1');
    expect(again.policies).toEqual(POLICIES);
    expect(core.service.devices.get(again.managedDeviceId)!.assignedPolicies).not.toBe(
      core.service.listDevices()[0]!.assignedPolicies,
    );
    const fresh = serviceCore();
    expect(fresh.enroll(d, 'enroll-d-0').policies).toEqual([]);
  });

  it('the first check-in makes a discovered device managed, records the time and the facts, and logs the check-in', async () => {
    const { core, e, facts } = withPolicies();
    expect(core.service.devices.get(e.managedDeviceId)?.managementState).toBe('discovered');
    await core.clock.advanceBy(1234);
    core.up(e.channelId, { type: 'checkIn', reason: 'enrolled', facts });
    const record = core.service.devices.get(e.managedDeviceId)!;
    expect(record).toMatchObject({ managementState: 'managed', lastSyncAtMs: core.clock.now(), facts });
    expect(core.store.loadAll().devices[0]).toMatchObject({ lastSyncAtMs: core.clock.now() });
    expect(core.log.ofType('device.managementState')).toMatchObject([
      { deviceId: e.managedDeviceId, from: 'discovered', to: 'managed' },
    ]);
    expect(core.log.ofType('device.checkIn')).toMatchObject([
      { deviceId: e.managedDeviceId, reason: 'enrolled' },
    ]);
    // New facts replace the old; the same facts again keep the record's copy.
    const changed = { ...facts, apps: facts.apps + 1 };
    core.up(e.channelId, { type: 'checkIn', reason: 'schedule', facts: changed });
    expect(record.facts).toEqual(changed);
    const kept = record.facts;
    // Equal lists in new arrays (as every message brings) are the same facts.
    const copy = { ...changed, policyIds: [...changed.policyIds], appKinds: [...changed.appKinds] };
    core.up(e.channelId, { type: 'checkIn', reason: 'schedule', facts: copy });
    expect(record.facts).toBe(kept);
    core.up(e.channelId, { type: 'checkIn', reason: 'schedule', facts: { ...changed, policyIds: ['p-1'] } });
    expect(record.facts.policyIds).toEqual(['p-1']);
    core.up(e.channelId, { type: 'checkIn', reason: 'schedule', facts: { ...changed, policyIds: ['p-3'] } });
    expect(record.facts.policyIds).toEqual(['p-3']); // same length, another item
    core.up(e.channelId, {
      type: 'checkIn',
      reason: 'schedule',
      facts: { ...changed, policyIds: ['p-3', 'p-4'] },
    });
    expect(record.facts.policyIds).toEqual(['p-3', 'p-4']); // the old list and more
  });

  it('each action is delivered (and logged) once, when first sent; acknowledgement makes it active and logs its propagation', async () => {
    const { core, e, facts } = withPolicies();
    const wipe = core.service.requestAction(e.managedDeviceId, { action: 'wipe', options: {} }, ADMIN);
    if (!wipe.ok) throw new Error('refused');
    await core.clock.advanceBy(5000);
    core.up(e.channelId, { type: 'checkIn', reason: 'push', facts });
    const sent = core.clock.now();
    expect(core.service.actions.get(wipe.value.id)).toMatchObject({
      deliveredAtMs: sent,
      lastUpdatedAtMs: sent,
      state: 'pending',
    });
    expect(core.log.ofType('action.delivered')).toMatchObject([
      { deviceId: e.managedDeviceId, actionId: wipe.value.id, action: 'wipe' },
    ]);
    await core.clock.advanceBy(2000);
    core.up(e.channelId, { type: 'checkIn', reason: 'schedule', facts });
    expect(core.service.actions.get(wipe.value.id)?.deliveredAtMs).toBe(sent);
    expect(core.log.ofType('action.delivered')).toHaveLength(1);
    core.up(e.channelId, { type: 'ack', commandId: wipe.value.id });
    expect(core.service.actions.get(wipe.value.id)).toMatchObject({
      state: 'active',
      acknowledgedAtMs: core.clock.now(),
      lastUpdatedAtMs: core.clock.now(),
    });
    expect(core.store.loadAll().actions[0]).toMatchObject({ state: 'active' });
    expect(core.service.devices.get(e.managedDeviceId)?.managementState).toBe('wipePending');
    expect(core.log.ofType('action.acknowledged')).toMatchObject([
      { deviceId: e.managedDeviceId, actionId: wipe.value.id, action: 'wipe', propagationMs: 7000 },
    ]);
  });

  it("another device's action is neither acknowledged nor completed through this channel", () => {
    const core = serviceCore();
    const [a, b] = core.devices({ platform: 'windows10', count: 2, osVersion: '22H2' });
    const ea = core.enroll(a!, 'enroll-a-0');
    const eb = core.enroll(b!, 'enroll-b-0');
    const facts = factsOf(a!.state);
    const sync = core.service.requestAction(ea.managedDeviceId, { action: 'sync' }, ADMIN);
    if (!sync.ok) throw new Error('refused');
    core.up(eb.channelId, { type: 'ack', commandId: sync.value.id });
    core.up(eb.channelId, { type: 'result', commandId: sync.value.id, status: 'done', rules: [], facts });
    expect(core.service.actions.get(sync.value.id)?.state).toBe('pending');
    expect(core.sentTo(eb.channelId, 'resultAck')).toEqual([
      { type: 'resultAck', commandIds: [sync.value.id] },
    ]);
    // A revoked channel or an unknown one is not heard at all.
    core.up('dev-nobody', { type: 'ack', commandId: sync.value.id });
    expect(core.service.actions.get(sync.value.id)?.state).toBe('pending');
  });
});

describe('results', () => {
  it('a result records the status, reason, rules and time, and the facts it came with', async () => {
    const { core, e, facts } = withPolicies();
    const retire = core.service.requestAction(e.managedDeviceId, { action: 'retire' }, ADMIN);
    if (!retire.ok) throw new Error('refused');
    core.up(e.channelId, { type: 'checkIn', reason: 'push', facts });
    await core.clock.advanceBy(100);
    const after = { ...facts, apps: 0, azureAd: 'joined' as const };
    core.up(e.channelId, {
      type: 'result',
      commandId: retire.value.id,
      status: 'failed',
      reasonCode: 'deviceBusy',
      rules: ['R-1'],
      facts: after,
    });
    expect(core.service.actions.get(retire.value.id)).toMatchObject({
      state: 'failed',
      reasonCode: 'deviceBusy',
      rules: ['R-1'],
      completedAtMs: core.clock.now(),
      lastUpdatedAtMs: core.clock.now(),
    });
    expect(core.service.devices.get(e.managedDeviceId)).toMatchObject({
      managementState: 'retireFailed',
      facts: after,
    });
    expect(core.log.ofType('action.completed')).toMatchObject([
      {
        actionId: retire.value.id,
        action: 'retire',
        status: 'failed',
        reasonCode: 'deviceBusy',
        rules: ['R-1'],
      },
    ]);
    expect(core.store.loadAll().actions[0]).toMatchObject({ state: 'failed', reasonCode: 'deviceBusy' });
    expect(core.store.loadAll().devices[0]).toMatchObject({ managementState: 'retireFailed' });
    expect(core.log.ofType('directory.deviceDeleted')).toEqual([]); // still in Azure AD
  });

  it('the connection of a device that left is dropped exactly DISCONNECT_AFTER_MS later, not before', async () => {
    const { core, e, facts } = withPolicies();
    core.run(e, { action: 'retire' }, unenrolled(facts));
    await core.clock.advanceBy(DISCONNECT_AFTER_MS - 1);
    expect(core.disconnected).toEqual([]);
    await core.clock.advanceBy(1);
    expect(core.disconnected).toEqual([e.channelId]);
  });

  it('a revoked channel is not heard: a check-in on it changes nothing', () => {
    const { core, e, facts } = withPolicies();
    core.run(e, { action: 'retire' }, unenrolled(facts));
    core.up(e.channelId, { type: 'checkIn', reason: 'schedule', facts });
    expect(core.log.ofType('device.checkIn')).toEqual([]);
    expect(core.service.devices.get(e.managedDeviceId)?.lastSyncAtMs).toBeNull();
  });

  it('a result without a reason has none, and its event carries no reasonCode key', () => {
    const { core, e, facts } = withPolicies();
    const sync = core.service.requestAction(e.managedDeviceId, { action: 'sync' }, ADMIN);
    if (!sync.ok) throw new Error('refused');
    const timers = core.clock.scheduled; // the push retry
    core.up(e.channelId, { type: 'result', commandId: sync.value.id, status: 'done', rules: [], facts });
    expect(core.service.actions.get(sync.value.id)?.reasonCode).toBeNull();
    expect('reasonCode' in core.log.ofType('action.completed')[0]!).toBe(false);
    // Still managed: its credentials stay, nothing is dropped.
    expect(core.log.ofType('credentials.revoked')).toEqual([]);
    expect(core.clock.scheduled).toBe(timers);
    expect(core.service.authenticateChannel(e.channelId, e.token)).toBe(true);
  });

  it('a device leaving through a retire is recorded as retired (R-1), through a Fresh Start as F-3; its channel revoked', () => {
    for (const [request, why, specId] of [
      [{ action: 'retire' }, 'retire', 'R-1'],
      [{ action: 'freshStart', keepUserData: false }, 'freshStart', 'F-3'],
      [{ action: 'wipe', options: {} }, 'wipe', 'W-1'],
      [{ action: 'sync' }, 'retire', 'R-1'],
    ] as const) {
      const { core, e, facts } = withPolicies();
      const action = core.service.requestAction(e.managedDeviceId, request, ADMIN);
      const other = core.service.requestAction(
        e.managedDeviceId,
        request.action === 'sync' ? { action: 'retire' } : { action: 'sync' },
        ADMIN,
      );
      if (!action.ok || !other.ok) throw new Error('refused');
      core.up(e.channelId, {
        type: 'result',
        commandId: action.value.id,
        status: 'done',
        rules: [],
        facts: unenrolled(facts),
      });
      expect(core.log.ofType('device.removed'), request.action).toMatchObject([{ why, specId }]);
      expect(core.service.actions.get(other.value.id)).toMatchObject({
        state: 'canceled',
        reasonCode: 'canceledDeviceLeftManagement',
      });
      expect(core.service.channels.get(e.channelId)?.revoked).toBe(true);
      expect(core.store.loadAll().channels[0]?.revoked).toBe(true);
      expect(core.log.ofType('credentials.revoked')).toMatchObject([
        { deviceId: e.managedDeviceId, channelId: e.channelId },
      ]);
    }
  });

  it('a retire that removes the Azure AD registration removes the directory record citing R-1', () => {
    const { core, e, facts } = withPolicies();
    core.run(e, { action: 'retire' }, unenrolled(facts));
    expect(core.log.ofType('directory.deviceDeleted')).toMatchObject([{ specId: 'R-1' }]);
  });

  it(`D-1: a removal that keeps failing is queued again up to ${REMOVAL_ATTEMPTS_MAX} attempts in all, then left failed`, () => {
    const { core, e, facts } = withPolicies();
    // An action of another kind on the record does not count as an attempt.
    const sync = core.service.requestAction(e.managedDeviceId, { action: 'sync' }, ADMIN);
    if (!sync.ok) throw new Error('refused');
    core.up(e.channelId, { type: 'result', commandId: sync.value.id, status: 'done', rules: [], facts });
    const deleted = core.service.deleteDevice(e.managedDeviceId, ADMIN);
    if (!deleted.ok || !deleted.value) throw new Error('refused');
    expect(REMOVAL_ATTEMPTS_MAX).toBe(5);
    const record = core.service.devices.get(e.managedDeviceId)!;
    for (let i = 0; i < 10; i++) {
      const open = core.service.openActionsOf(record);
      if (open.length === 0) break;
      core.up(e.channelId, {
        type: 'result',
        commandId: open[0]!.id,
        status: 'failed',
        reasonCode: 'powerLostDuringWipe',
        rules: [],
        facts,
      });
    }
    const removals = core.service.actionsOf(record).filter((a) => a.kind === 'deleteRemoval');
    expect(removals.map((a) => a.command)).toEqual(
      removals.map((a) => ({ ...deleted.value!.command, id: a.id })),
    );
    expect(removals.map((a) => [a.kind, a.state])).toEqual(
      Array.from({ length: 5 }, () => ['deleteRemoval', 'failed']),
    );
    expect(new Set(removals.map((a) => a.id)).size).toBe(5);
    expect(removals.map((a) => [a.initiatedBy, a.source])).toEqual(
      removals.map(() => [ADMIN.userPrincipalName, 'admin']),
    );
    expect(record.managementState).toBe('deletePending');
  });
});
