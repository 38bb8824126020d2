import { describe, expect, it, vi } from 'vitest';
import { factsOf } from '../../agent/model/facts.ts';
import { IntuneService } from '../../broker/service/service.ts';
import { VirtualClock } from '../../sim/clock/virtual-clock.ts';
import { EventLog } from '../../sim/events.ts';
import { createRng } from '../../sim/prng.ts';
import { ADMIN } from '../helpers/admin.ts';
import { serviceCore, unenrolled } from '../helpers/service-core.ts';

/** One enrolled Knox device on the service core. */
function setup() {
  const core = serviceCore();
  const [device] = core.devices({ platform: 'androidKnox', count: 1 });
  const facts = factsOf(device!.state);
  const enrolled = core.enroll(device!, 'r1');
  const up = (m: Parameters<typeof core.up>[1]) => core.up(enrolled.channelId, m);
  return { ...core, enrolled, facts, up };
}

describe('the service core', () => {
  it('issues credentials at enrollment that authenticate only that channel', () => {
    const { service, enrolled } = setup();
    expect(service.authenticateChannel(enrolled.channelId, enrolled.token)).toBe(true);
    expect(service.authenticateChannel(enrolled.channelId, 'token-2-0123456789abcdef')).toBe(false);
    expect(service.authenticateChannel('dev-other', enrolled.token)).toBe(false);
  });

  it('handles a repeated acknowledgement or result once (QoS 1 is at-least-once)', () => {
    const { service, enrolled, facts, up, log } = setup();
    const action = service.requestAction(enrolled.managedDeviceId, { action: 'sync' }, ADMIN);
    if (!action.ok) throw new Error('refused');
    up({ type: 'checkIn', reason: 'push', facts });
    up({ type: 'ack', commandId: action.value.id });
    up({ type: 'ack', commandId: action.value.id });
    up({ type: 'result', commandId: action.value.id, status: 'done', rules: [], facts });
    up({
      type: 'result',
      commandId: action.value.id,
      status: 'failed',
      rules: [],
      facts,
      reasonCode: 'deviceBusy',
    });
    expect(service.actions.get(action.value.id)?.state).toBe('done');
    expect(log.ofType('action.acknowledged')).toHaveLength(1);
    expect(log.ofType('action.completed')).toHaveLength(1);
  });

  it("stores the device record at an acknowledgement only when its state changes: a sync's leaves it, a wipe's makes it wipePending", () => {
    const { service, store, enrolled, facts, up } = setup();
    const saved = vi.spyOn(store, 'saveDevice');
    const savedAt = (commandId: string) => {
      saved.mockClear();
      up({ type: 'ack', commandId });
      return saved.mock.calls.map(([d]) => d.managementState);
    };
    const sync = service.requestAction(enrolled.managedDeviceId, { action: 'sync' }, ADMIN);
    if (!sync.ok) throw new Error('refused');
    up({ type: 'checkIn', reason: 'push', facts });
    expect(savedAt(sync.value.id)).toEqual([]);
    const wipe = service.requestAction(enrolled.managedDeviceId, { action: 'wipe', options: {} }, ADMIN);
    if (!wipe.ok) throw new Error('refused');
    up({ type: 'checkIn', reason: 'push', facts });
    expect(savedAt(wipe.value.id)).toEqual(['wipePending']);
    expect(savedAt(wipe.value.id)).toEqual([]); // a repeat changes nothing
  });

  it('counts a result with no acknowledgement before it as the acknowledgement too (W-7), then the result', () => {
    const { service, enrolled, facts, up, log, clock } = setup();
    const wipe = service.requestAction(enrolled.managedDeviceId, { action: 'wipe', options: {} }, ADMIN);
    if (!wipe.ok) throw new Error('refused');
    up({ type: 'checkIn', reason: 'push', facts });
    const states = log.ofType('device.managementState').map((e) => e.to);
    up({ type: 'result', commandId: wipe.value.id, status: 'done', rules: [], facts: unenrolled(facts) });
    expect(log.ofType('action.acknowledged').map((e) => e.actionId)).toEqual([wipe.value.id]);
    expect(service.actions.get(wipe.value.id)).toMatchObject({
      state: 'done',
      acknowledgedAtMs: clock.now(),
    });
    // wipeIssued → wipePending (the acknowledgement) before the record goes.
    expect(
      log
        .ofType('device.managementState')
        .map((e) => e.to)
        .slice(states.length),
    ).toEqual(['wipePending']);
  });

  it('a failed result with no acknowledgement before it: wipeIssued → wipePending → wipeFailed, the action failed', () => {
    const { service, enrolled, facts, up, log } = setup();
    const wipe = service.requestAction(enrolled.managedDeviceId, { action: 'wipe', options: {} }, ADMIN);
    if (!wipe.ok) throw new Error('refused');
    up({ type: 'checkIn', reason: 'push', facts });
    const before = log.ofType('device.managementState').length;
    up({ type: 'result', commandId: wipe.value.id, status: 'failed', rules: [], facts });
    expect(
      log
        .ofType('device.managementState')
        .slice(before)
        .map((e) => `${e.from} → ${e.to}`),
    ).toEqual(['wipeIssued → wipePending', 'wipePending → wipeFailed']);
    expect(service.actions.get(wipe.value.id)?.state).toBe('failed');
    expect(log.ofType('action.acknowledged')).toHaveLength(1);
  });

  it("ignores messages about another device's action", () => {
    const { service, enrolled, facts, up } = setup();
    up({ type: 'result', commandId: 'not-an-action', status: 'done', rules: [], facts });
    expect(service.getDevice(enrolled.managedDeviceId)?.managementState).toBe('discovered');
  });

  it("refuses with the rule's reason and logs the refusal; queues nothing", () => {
    const { service, enrolled, log } = setup();
    const r = service.requestAction(
      enrolled.managedDeviceId,
      { action: 'wipe', options: { keepUserData: true } },
      ADMIN,
    );
    expect(r).toMatchObject({ ok: false, error: { code: 'keepUserDataNotSupported', specId: 'W-4' } });
    expect(service.actions.size).toBe(0);
    expect(log.ofType('action.refused')).toMatchObject([
      { code: 'keepUserDataNotSupported', specId: 'W-4', initiatedBy: 'admin@contoso.com' },
    ]);
  });

  it('writes every change through to the store: a new service on the same store sees it all', () => {
    const { service, store, enrolled } = setup();
    const r = service.requestAction(enrolled.managedDeviceId, { action: 'retire' }, ADMIN);
    expect(r.ok).toBe(true);
    service.setCleanupDays(90);
    service.setPushChannel('FCM', false);
    const again = new IntuneService({
      clock: new VirtualClock(0),
      rng: createRng('other'),
      store,
      log: new EventLog(() => 0),
      outbox: { toDevice() {}, toEnrollee() {}, disconnect() {} },
      secrets: { newToken: () => 'x'.repeat(20), hash: (t) => `h:${t}` },
    });
    expect(again.getDevice(enrolled.managedDeviceId)?.managementState).toBe('retireIssued');
    expect([...again.actions.values()].map((a) => [a.kind, a.state])).toEqual([['retire', 'pending']]);
    expect(again.cleanupDays).toBe(90);
    expect(again.push.channelsDown).toEqual(['FCM']);
    expect(again.authenticateChannel(enrolled.channelId, enrolled.token)).toBe(true);
  });
});
