import { describe, expect, it } from 'vitest';
import { factsOf } from '../../agent/model/facts.ts';
import { guid, IdSource } from '../../broker/service/ids.ts';
import { auditActionName, commandFor, commandKey } from '../../broker/service/lifecycle.ts';
import { FINAL_ACTION_STATES } from '../../broker/service/registry.ts';
import { resultEffect } from '../../broker/service/results.ts';
import type { ActionKind } from '../../broker/service/types.ts';
import { createRng } from '../../sim/prng.ts';
import { ADMIN } from '../helpers/admin.ts';
import { serviceCore } from '../helpers/service-core.ts';

describe('S-1, S-2: the action lifecycle table', () => {
  // Each kind: its Graph name, and the state after it is queued, acknowledged and reported failed.
  const RUNS: [Parameters<typeof commandFor>[0], string, string, string, string][] = [
    [{ action: 'wipe', options: {} }, 'wipe', 'wipeIssued', 'wipePending', 'wipeFailed'],
    [
      { action: 'freshStart', keepUserData: false },
      'cleanWindowsDevice',
      'wipeIssued',
      'wipePending',
      'wipeFailed',
    ],
    [{ action: 'retire' }, 'retire', 'retireIssued', 'retirePending', 'retireFailed'],
    [{ action: 'sync' }, 'syncDevice', 'discovered', 'discovered', 'discovered'],
  ];
  for (const [request, graphName, issued, pending, failed] of RUNS) {
    it(`${request.action}: ${graphName}, ${issued} → ${pending} → ${failed}`, () => {
      const core = serviceCore();
      const [d] = core.devices({ platform: 'windows10', count: 1, osVersion: '22H2' });
      const e = core.enroll(d!, 'enroll-d-0');
      const state = () => core.service.devices.get(e.managedDeviceId)!.managementState;
      const action = core.run(e, request);
      expect(core.log.ofType('action.requested')[0]?.action).toBe(graphName);
      expect(state()).toBe(issued);
      core.up(e.channelId, { type: 'ack', commandId: action.id });
      expect(core.log.ofType('action.acknowledged')[0]?.action).toBe(graphName);
      expect(state()).toBe(pending);
      core.up(e.channelId, {
        type: 'result',
        commandId: action.id,
        status: 'failed',
        reasonCode: 'deviceBusy',
        rules: [],
        facts: factsOf(d!.state),
      });
      expect(core.log.ofType('action.completed')[0]?.action).toBe(graphName);
      expect(state()).toBe(failed);
    });
  }

  it('a delete is named delete and moves no state but deletePending', () => {
    const core = serviceCore();
    const [d] = core.devices({ platform: 'windows10', count: 1, osVersion: '22H2' });
    const e = core.enroll(d!, 'enroll-d-0');
    core.service.deleteDevice(e.managedDeviceId, ADMIN);
    expect(core.log.ofType('action.requested')[0]?.action).toBe('delete');
    expect(core.log.ofType('device.managementState').map((s) => s.to)).toEqual(['deletePending']);
  });

  it('final action states', () => {
    expect(FINAL_ACTION_STATES).toEqual(['done', 'failed', 'notSupported', 'canceled']);
  });

  it("remoteActionAudit.action: Graph's remoteAction names, a keep-data wipe being factoryResetKeepEnrollmentData", () => {
    const name = (r: Parameters<typeof commandFor>[0], kind: ActionKind = r.action) =>
      auditActionName(commandFor(r, 'id'), kind);
    expect(name({ action: 'wipe', options: {} })).toBe('factoryReset');
    expect(name({ action: 'wipe', options: { useProtectedWipe: true } })).toBe('factoryReset');
    expect(name({ action: 'wipe', options: { keepUserData: true } })).toBe('factoryResetKeepEnrollmentData');
    expect(name({ action: 'wipe', options: { keepEnrollmentData: true } })).toBe(
      'factoryResetKeepEnrollmentData',
    );
    expect(name({ action: 'retire' })).toBe('removeCompanyData');
    expect(name({ action: 'freshStart', keepUserData: true })).toBe('cleanWindowsDevice');
    expect(name({ action: 'sync' })).toBe('syncDevice');
    expect(name({ action: 'retire' }, 'deleteRemoval')).toBe('delete');
  });

  it('commandFor copies the request into a command with the id', () => {
    const options = { keepUserData: true };
    const wipe = commandFor({ action: 'wipe', options }, 'w');
    expect(wipe).toEqual({ id: 'w', type: 'wipe', options: { keepUserData: true } });
    expect(wipe.type === 'wipe' && wipe.options).not.toBe(options);
    expect(commandFor({ action: 'freshStart', keepUserData: false }, 'f')).toEqual({
      id: 'f',
      type: 'freshStart',
      keepUserData: false,
    });
    expect(commandFor({ action: 'retire' }, 'r')).toEqual({ id: 'r', type: 'retire' });
    expect(commandFor({ action: 'sync' }, 's')).toEqual({ id: 's', type: 'sync' });
  });

  it('commandKey: the command without its id, every key in a fixed order', () => {
    expect(
      commandKey({ id: 'a', type: 'wipe', options: { keepUserData: true, keepEnrollmentData: true } }),
    ).toBe('{"options":{"keepEnrollmentData":true,"keepUserData":true},"type":"wipe"}');
    expect(commandKey({ id: 'b', type: 'freshStart', keepUserData: false })).toBe(
      '{"keepUserData":false,"type":"freshStart"}',
    );
  });
});

describe('what a result does to the record', () => {
  const effect = (c: Partial<Parameters<typeof resultEffect>[0]>) =>
    resultEffect({
      kind: 'wipe',
      status: 'done',
      stillEnrolled: false,
      managementState: 'wipePending',
      ...c,
    });
  it('done and unenrolled: leaves; done while still enrolled: managed (W-2, F-2)', () => {
    expect(effect({})).toEqual({ kind: 'leave' });
    expect(effect({ managementState: 'deletePending', kind: 'sync' })).toEqual({ kind: 'leave' });
    expect(effect({ stillEnrolled: true })).toEqual({ kind: 'setState', to: 'managed' });
    expect(effect({ kind: 'freshStart', stillEnrolled: true })).toEqual({ kind: 'setState', to: 'managed' });
  });
  it('a wipe, Fresh Start or retire that did not run: its failed state; a sync: no change', () => {
    for (const status of ['failed', 'notSupported'] as const) {
      expect(effect({ status, stillEnrolled: true })).toEqual({ kind: 'setState', to: 'wipeFailed' });
      expect(effect({ status, kind: 'freshStart', stillEnrolled: true })).toEqual({
        kind: 'setState',
        to: 'wipeFailed',
      });
      expect(effect({ status, kind: 'retire', stillEnrolled: true })).toEqual({
        kind: 'setState',
        to: 'retireFailed',
      });
      expect(effect({ status, kind: 'sync', stillEnrolled: true })).toEqual({ kind: 'keepState' });
    }
    // Only a command that ran takes the device out, whatever it reports.
    expect(effect({ status: 'failed', stillEnrolled: false })).toEqual({
      kind: 'setState',
      to: 'wipeFailed',
    });
    expect(effect({ kind: 'sync', stillEnrolled: true, managementState: 'wipePending' })).toEqual({
      kind: 'keepState',
    });
  });
  it('D-1: while deletePending, a removal still enrolled is retried, anything else keeps the state', () => {
    const pending = { managementState: 'deletePending', stillEnrolled: true } as const;
    expect(effect({ ...pending, kind: 'deleteRemoval' })).toEqual({ kind: 'retryRemoval' });
    expect(effect({ ...pending, kind: 'deleteRemoval', status: 'failed' })).toEqual({ kind: 'retryRemoval' });
    expect(effect({ ...pending, kind: 'wipe', status: 'failed' })).toEqual({ kind: 'keepState' });
    expect(effect({ ...pending, kind: 'retire' })).toEqual({ kind: 'keepState' });
  });
});

describe('ids', () => {
  it('are version-4-shaped GUIDs, all different, drawn from the seed', () => {
    const rng = createRng('ids');
    const ids = Array.from({ length: 200 }, (_, i) => guid(rng.child(i)));
    for (const id of ids)
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(200);
    // Every variant digit appears: the two random bits are used, not a constant.
    expect(new Set(ids.map((id) => id[19])).size).toBe(4);
    expect(new Set(ids.map((id) => id.slice(0, 8)).join('')).size).toBe(16);
  });

  it('IdSource counts what it handed out and persists the next number before the id is used', () => {
    const persisted: number[] = [];
    const source = new IdSource(createRng('s'), 7, (n) => persisted.push(n));
    const a = source.next();
    const b = source.next();
    expect(a).not.toBe(b);
    expect(source.issued).toBe(9);
    expect(persisted).toEqual([8, 9]);
    // The n-th id depends on n only: a source restarted at 8 hands out b.
    expect(new IdSource(createRng('s'), 8, () => {}).next()).toBe(b);
  });
});
