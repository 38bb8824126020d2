import { afterEach, describe, expect, it } from 'vitest';
import { MANAGEMENT_STATES } from '../../sim/management-state.ts';
import { HOUR_MS, MINUTE_MS } from '../../sim/time-units.ts';
import { act, current } from '../helpers/admin.ts';
import { startVirtualFleet, type VirtualFleet } from '../helpers/virtual-fleet.ts';

let fleet: VirtualFleet | null = null;
afterEach(async () => {
  await fleet?.close();
  fleet = null;
});

const transitions = (f: VirtualFleet, deviceId: string) =>
  f.log
    .ofType('device.managementState')
    .filter((e) => e.deviceId === deviceId)
    .map((e) => `${e.from}>${e.to}`);

describe('S-1: managementState', () => {
  it("has Graph's values and numbers", () => {
    expect(MANAGEMENT_STATES).toEqual({
      managed: 0,
      retirePending: 1,
      retireFailed: 2,
      wipePending: 3,
      wipeFailed: 4,
      unhealthy: 5,
      deletePending: 6,
      retireIssued: 7,
      wipeIssued: 8,
      wipeCanceled: 9,
      retireCanceled: 10,
      discovered: 11,
    });
  });

  it('discovered until the first check-in, then managed; a wipe goes issued → pending → removed with done', async () => {
    fleet = await startVirtualFleet({ seed: 's1', cohorts: [{ platform: 'androidFullyManaged', count: 1 }] });
    const [agent] = fleet.runner.all();
    const record = fleet.recordOf(agent!)!;
    const wipe = act(fleet, agent!, { action: 'wipe', options: {} });
    expect(record.managementState).toBe('wipeIssued');
    expect(current(fleet, wipe).state).toBe('pending');
    await fleet.clock.runUntil(() => current(fleet!, wipe).state === 'active', HOUR_MS);
    expect(record.managementState).toBe('wipePending');
    await fleet.clock.runUntil(() => current(fleet!, wipe).state === 'done', HOUR_MS);
    expect(transitions(fleet, record.id)).toEqual([
      'discovered>managed',
      'managed>wipeIssued',
      'wipeIssued>wipePending',
    ]);
    expect(fleet.server.service.getDevice(record.id)).toBeUndefined();
    expect(record.removedWhy).toBe('wipe');
    // A full wipe ends the device's credentials.
    expect(fleet.server.service.channels.get(record.channelId)?.revoked).toBe(true);
  });

  it('a retire goes retireIssued → retirePending → removed', async () => {
    fleet = await startVirtualFleet({
      seed: 's1r',
      cohorts: [{ platform: 'ios', count: 1, enrollmentType: 'companyPortal' }],
    });
    const [agent] = fleet.runner.all();
    const retire = act(fleet, agent!, { action: 'retire' });
    await fleet.clock.runUntil(() => current(fleet!, retire).state === 'done', HOUR_MS);
    expect(transitions(fleet, retire.deviceId)).toEqual([
      'discovered>managed',
      'managed>retireIssued',
      'retireIssued>retirePending',
    ]);
    expect(fleet.server.service.devices.get(retire.deviceId)?.removedWhy).toBe('retire');
  });

  it('a keep-enrollment wipe and a Fresh Start that keeps the device managed end back in managed', async () => {
    fleet = await startVirtualFleet({
      seed: 's1k',
      cohorts: [{ platform: 'windows10', count: 2, osVersion: '22H2', enrollmentType: 'azureAdJoin' }],
    });
    const [a, b] = fleet.runner.all();
    const keep = act(fleet, a!, { action: 'wipe', options: { keepUserData: true } });
    const fresh = act(fleet, b!, { action: 'freshStart', keepUserData: true });
    await fleet.clock.runUntil(
      () => [keep, fresh].every((x) => current(fleet!, x).state === 'done'),
      3 * HOUR_MS,
    );
    for (const x of [keep, fresh]) {
      expect(transitions(fleet, x.deviceId)).toEqual([
        'discovered>managed',
        'managed>wipeIssued',
        'wipeIssued>wipePending',
        'wipePending>managed',
      ]);
      expect(fleet.server.service.getDevice(x.deviceId)?.managementState).toBe('managed');
    }
  });

  it('W-PROT-2: an unprotected wipe cut by power loss ends failed and wipeFailed; the device is still enrolled and checks in', async () => {
    fleet = await startVirtualFleet({
      seed: 's1f',
      cohorts: [{ platform: 'windows10', count: 1, osVersion: '22H2' }],
    });
    const [agent] = fleet.runner.all();
    const wipe = act(fleet, agent!, { action: 'wipe', options: {} });
    await fleet.clock.runUntil(() => current(fleet!, wipe).state === 'active', HOUR_MS);
    await fleet.clock.advanceBy(10 * MINUTE_MS); // mid-wipe (PC resets take 25–70 minutes)
    agent!.powerOff();
    await fleet.clock.advanceBy(HOUR_MS);
    agent!.powerOn();
    await fleet.clock.runUntil(() => current(fleet!, wipe).state === 'failed', HOUR_MS);
    expect(current(fleet, wipe)).toMatchObject({ state: 'failed', reasonCode: 'powerLostDuringWipe' });
    const record = fleet.server.service.getDevice(wipe.deviceId)!;
    expect(record.managementState).toBe('wipeFailed');
    expect(agent!.device.state.management.enrolled).toBe(true);
    expect(agent!.device.state.accounts.length).toBeGreaterThan(0);
    const failedAt = current(fleet, wipe).completedAtMs!;
    await fleet.clock.advanceBy(9 * HOUR_MS);
    // Still enrolled, it keeps checking in after the failure (on its ~8-hour schedule).
    const after = fleet.log
      .ofType('device.checkIn')
      .filter((e) => e.deviceId === record.id && e.atMs > failedAt);
    expect(after.length).toBeGreaterThan(0);
  });

  it('W-PROT-1: a protected wipe cut by power loss resumes at power-on and completes', async () => {
    fleet = await startVirtualFleet({
      seed: 's1p',
      cohorts: [{ platform: 'windows10', count: 1, osVersion: '22H2' }],
    });
    const [agent] = fleet.runner.all();
    const wipe = act(fleet, agent!, { action: 'wipe', options: { useProtectedWipe: true } });
    await fleet.clock.runUntil(() => current(fleet!, wipe).state === 'active', HOUR_MS);
    await fleet.clock.advanceBy(10 * MINUTE_MS);
    agent!.powerOff();
    await fleet.clock.advanceBy(2 * HOUR_MS);
    expect(current(fleet, wipe).state).toBe('active');
    expect(agent!.device.state.nvram.resetJob).toMatchObject({ protectedWipe: true, attempts: 1 });
    agent!.powerOn();
    await fleet.clock.runUntil(() => current(fleet!, wipe).state === 'done', 3 * HOUR_MS);
    expect(current(fleet, wipe).state).toBe('done');
    expect(agent!.device.state.accounts).toEqual([]);
    expect(fleet.log.ofType('agent.model').filter((e) => e.event.type === 'resetStarted').length).toBe(2);
  });

  it('W-PROT-3: a protected wipe that leaves the device unable to start keeps the action pending', async () => {
    fleet = await startVirtualFleet({
      seed: 's1u',
      cohorts: [
        {
          platform: 'windows10',
          count: 1,
          osVersion: '22H2',
          overrides: { conditions: { corruptedInstallation: true } },
        },
      ],
    });
    const [agent] = fleet.runner.all();
    const wipe = act(fleet, agent!, { action: 'wipe', options: { useProtectedWipe: true } });
    await fleet.clock.advanceBy(3 * HOUR_MS);
    expect(agent!.device.state.boot).toBe('recoveryEnvironment');
    expect(current(fleet, wipe).state).toBe('active');
    expect(fleet.server.service.getDevice(wipe.deviceId)?.managementState).toBe('wipePending');
    const before = fleet.log.ofType('device.checkIn').length;
    await fleet.clock.advanceBy(24 * HOUR_MS);
    expect(fleet.log.ofType('device.checkIn').length).toBe(before); // it never checks in again
  });
});

describe('S-2: deviceActionResults', () => {
  it('each action records its state, start and last update', async () => {
    fleet = await startVirtualFleet({ seed: 's2', cohorts: [{ platform: 'androidKnox', count: 1 }] });
    const [agent] = fleet.runner.all();
    const retire = act(fleet, agent!, { action: 'retire' });
    const start = retire.requestedAtMs;
    await fleet.clock.runUntil(() => current(fleet!, retire).state === 'done', HOUR_MS);
    const done = current(fleet, retire);
    expect(done).toMatchObject({
      kind: 'retire',
      state: 'done',
      requestedAtMs: start,
      initiatedBy: 'admin@contoso.com',
    });
    expect(done.lastUpdatedAtMs).toBe(done.completedAtMs);
    expect(done.acknowledgedAtMs! - start).toBeLessThan(15 * MINUTE_MS);
    expect(done.rules).toContain('R-DA-8');
  });
});

describe('S-4: push', () => {
  it("notifies at once on the platform's channel; one pending notification covers several actions; the device answers within minutes", async () => {
    fleet = await startVirtualFleet({
      seed: 's4',
      cohorts: [
        { platform: 'ios', count: 1, enrollmentType: 'companyPortal' },
        { platform: 'windows10', count: 1, osVersion: '22H2' },
        { platform: 'androidDeviceAdmin', count: 1 },
      ],
    });
    await fleet.clock.advanceBy(3 * HOUR_MS);
    const t0 = fleet.clock.now();
    const [ios, win, android] = fleet.runner.all();
    act(fleet, win!, { action: 'sync' });
    act(fleet, win!, { action: 'wipe', options: { keepUserData: true } });
    act(fleet, ios!, { action: 'sync' });
    act(fleet, android!, { action: 'sync' });
    const pushes = fleet.log.ofType('push.sent').filter((e) => e.atMs === t0);
    expect(pushes.map((p) => p.channel).sort()).toEqual(['APNs', 'FCM', 'WNS']);
    await fleet.clock.advanceBy(5 * MINUTE_MS);
    const answers = fleet.log.ofType('device.checkIn').filter((e) => e.atMs > t0 && e.reason === 'push');
    expect(answers).toHaveLength(3);
    for (const a of answers) expect(a.atMs - t0).toBeLessThan(2 * MINUTE_MS);
    // Answered: no retries.
    await fleet.clock.advanceBy(30 * MINUTE_MS);
    expect(fleet.log.ofType('push.sent').filter((e) => e.atMs > t0)).toEqual([]);
  });
});

describe('S-6: sync', () => {
  it('makes the device check in at once and receive its pending actions', async () => {
    fleet = await startVirtualFleet({ seed: 's6', cohorts: [{ platform: 'macos', count: 1 }] });
    await fleet.clock.advanceBy(3 * HOUR_MS);
    const [agent] = fleet.runner.all();
    const record = fleet.recordOf(agent!)!;
    const before = record.lastSyncAtMs!;
    const sync = act(fleet, agent!, { action: 'sync' });
    await fleet.clock.runUntil(() => current(fleet!, sync).state === 'done', HOUR_MS);
    expect(current(fleet, sync).completedAtMs! - sync.requestedAtMs).toBeLessThan(2 * MINUTE_MS);
    expect(record.lastSyncAtMs! - before).toBeGreaterThan(2 * HOUR_MS);
    expect(record.managementState).toBe('managed');
  });
});
