import { describe, expect, it } from 'vitest';
import { factsOf } from '../../agent/model/facts.ts';
import { CERTIFICATE_LIFETIME_MS } from '../../broker/service/service.ts';
import { EXPIRED_RECORD_GRACE_MS, SWEEP_INTERVAL_MS } from '../../broker/service/sweeps.ts';
import type { CohortSpec } from '../../sim/cohort.ts';
import { DAY_MS, HOUR_MS } from '../../sim/time-units.ts';
import { ADMIN } from '../helpers/admin.ts';
import { serviceCore } from '../helpers/service-core.ts';

/** The service core with its continuous rules running, and one enrolled device of a cohort. */
function started(cohort: Omit<CohortSpec, 'count'>) {
  const core = serviceCore();
  const [d] = core.devices({ ...cohort, count: 1 });
  const e = core.enroll(d!, 'enroll-d-0');
  const t0 = core.clock.now();
  core.service.start();
  return { core, e, t0, facts: factsOf(d!.state) };
}
const PC = { platform: 'windows10', osVersion: '22H2' } as const;

describe('D-2: the cleanup setting', () => {
  it('accepts 0 and whole numbers of days from 30 to 270; refuses anything else, naming the value', () => {
    const { service, log, store } = serviceCore();
    for (const days of [29, 271, 45.5, -30, Number.NaN]) {
      expect(service.setCleanupDays(days), String(days)).toEqual({
        ok: false,
        error: {
          code: 'invalidRequest',
          message: `deviceInactivityBeforeRetirementInDays must be 0 or a whole number from 30 to 270, got ${days}.`,
          specId: 'D-2',
        },
      });
    }
    expect(service.cleanupDays).toBe(0);
    for (const days of [30, 270, 0]) expect(service.setCleanupDays(days)).toEqual({ ok: true, value: days });
    expect(log.ofType('cleanup.settings').map((c) => c.days)).toEqual([30, 270, 0]);
    expect(store.loadAll().settings.cleanupDays).toBe(0);
  });
});

describe('the hourly sweep on the service', () => {
  it('D-2: a device silent for exactly N days is removed at that sweep, and only the record (D-4: credentials kept)', async () => {
    expect(SWEEP_INTERVAL_MS).toBe(HOUR_MS);
    const { core, e, t0 } = started(PC);
    core.service.setCleanupDays(30);
    await core.clock.advanceTo(t0 + 30 * DAY_MS - 1);
    expect(core.service.getDevice(e.managedDeviceId)).toBeDefined();
    await core.clock.advanceTo(t0 + 30 * DAY_MS);
    expect(core.service.getDevice(e.managedDeviceId)).toBeUndefined();
    expect(core.service.devices.get(e.managedDeviceId)).toMatchObject({
      listed: false,
      removedWhy: 'cleanup',
      removedAtMs: t0 + 30 * DAY_MS,
    });
    expect(core.log.ofType('device.removed')).toMatchObject([
      { deviceId: e.managedDeviceId, why: 'cleanup', specId: 'D-2' },
    ]);
    expect(core.service.authenticateChannel(e.channelId, e.token)).toBe(true);
  });

  it('D-2 counts from the last check-in; with cleanup off nothing is removed', async () => {
    const { core, e, t0, facts } = started(PC);
    await core.clock.advanceTo(t0 + 100 * DAY_MS);
    expect(core.service.getDevice(e.managedDeviceId)).toBeDefined(); // off
    core.up(e.channelId, { type: 'checkIn', reason: 'schedule', facts });
    core.service.setCleanupDays(30);
    await core.clock.advanceTo(t0 + 129 * DAY_MS);
    expect(core.service.getDevice(e.managedDeviceId)).toBeDefined();
    await core.clock.advanceTo(t0 + 130 * DAY_MS + HOUR_MS);
    expect(core.service.devices.get(e.managedDeviceId)?.removedWhy).toBe('cleanup');
  });

  it('D-3: Android Enterprise corporate modes are never cleaned up', async () => {
    for (const platform of [
      'androidDedicated',
      'androidFullyManaged',
      'androidCorporateWorkProfile',
    ] as const) {
      const { core, e, t0 } = started({ platform });
      core.service.setCleanupDays(30);
      await core.clock.advanceTo(t0 + 60 * DAY_MS);
      expect(core.service.getDevice(e.managedDeviceId), platform).toBeDefined();
    }
  });

  it('D-4: a cleaned-up device that checks in reappears as a new record with its policies; the old one stays removed', async () => {
    const { core, e, t0, facts } = started(PC);
    core.service.setCleanupDays(30);
    await core.clock.advanceTo(t0 + 31 * DAY_MS);
    const old = core.service.devices.get(e.managedDeviceId)!;
    core.up(e.channelId, { type: 'checkIn', reason: 'schedule', facts });
    const listed = core.service.listDevices();
    expect(listed).toHaveLength(1);
    const fresh = listed[0]!;
    expect(fresh.id).not.toBe(old.id);
    expect(fresh.azureADDeviceId).not.toBe(old.azureADDeviceId);
    expect(fresh).toMatchObject({
      channelId: e.channelId,
      identity: old.identity,
      enrolledAtMs: t0 + 31 * DAY_MS,
      lastSyncAtMs: t0 + 31 * DAY_MS,
      managementState: 'managed',
      enrollRequestId: null,
      reappearedFrom: old.id, // kept on the record: the judge reads it there, not in the log
    });
    expect(old.reappearedFrom).toBeNull();
    expect(fresh.assignedPolicies).toEqual(old.assignedPolicies);
    expect(core.service.directory.azureAdDevices.get(fresh.azureADDeviceId)?.deviceId).toBe(fresh.id);
    expect(core.log.ofType('device.reappeared')).toMatchObject([
      { deviceId: fresh.id, previousId: old.id, specId: 'D-4' },
    ]);
    expect(core.service.channels.get(e.channelId)?.deviceId).toBe(fresh.id);
    expect(old.removedWhy).toBe('cleanup');
  });

  it("D-4: a connection's handle on its channel follows the channel to the reappeared record", async () => {
    const { core, e, t0, facts } = started(PC);
    // What the broker keeps for a device's connection from the moment it connects.
    const session = core.service.openChannel(e.channelId, e.token)!;
    expect(core.service.openChannel(e.channelId, 'token-x-0123456789abcdef')).toBeNull();
    const checkIn = () =>
      core.service.handleDeviceMessage(
        e.channelId,
        { v: 2, seq: 0, sentAtMs: 0, type: 'checkIn', reason: 'schedule', facts },
        session,
      );
    checkIn();
    const old = core.service.devices.get(e.managedDeviceId)!;
    expect(session.device).toBe(old);
    core.service.setCleanupDays(30);
    await core.clock.advanceTo(t0 + 31 * DAY_MS);
    checkIn(); // removed by cleanup, so this one reappears as a new record
    const fresh = core.service.listDevices()[0]!;
    expect(fresh.id).not.toBe(old.id);
    await core.clock.advanceTo(t0 + 32 * DAY_MS);
    checkIn();
    expect(session.device).toBe(fresh);
    expect(fresh.lastSyncAtMs).toBe(t0 + 32 * DAY_MS);
    expect(old.lastSyncAtMs).toBe(t0); // the removed record is left as it was
    expect(core.log.ofType('device.reappeared')).toHaveLength(1);
  });

  it('D-8: a wipe that never reaches the device: the record goes 180 days after the certificate expired, not before', async () => {
    const { core, e, t0 } = started(PC);
    expect(CERTIFICATE_LIFETIME_MS).toBe(365 * DAY_MS);
    expect(EXPIRED_RECORD_GRACE_MS).toBe(180 * DAY_MS);
    const wipe = core.service.requestAction(e.managedDeviceId, { action: 'wipe', options: {} }, ADMIN);
    if (!wipe.ok) throw new Error('refused');
    const expiresAt = t0 + 365 * DAY_MS;
    expect(core.service.certificateExpiresAt(core.service.devices.get(e.managedDeviceId)!)).toBe(expiresAt);
    await core.clock.advanceTo(expiresAt + 180 * DAY_MS - 1);
    expect(core.service.getDevice(e.managedDeviceId)?.managementState).toBe('wipeIssued');
    await core.clock.advanceTo(expiresAt + 180 * DAY_MS);
    expect(core.service.devices.get(e.managedDeviceId)).toMatchObject({
      listed: false,
      removedWhy: 'certificateExpired',
      removedAtMs: expiresAt + 180 * DAY_MS,
    });
    expect(core.log.ofType('device.removed')).toMatchObject([{ why: 'certificateExpired', specId: 'D-8' }]);
    expect(core.service.actions.get(wipe.value.id)).toMatchObject({
      state: 'canceled',
      reasonCode: 'canceledRecordRemoved',
    });
  });

  it('D-8: an idle device with nothing pending, cleanup off, is kept however long it is silent; a sync pending is no reason either', async () => {
    const { core, e, t0 } = started(PC);
    await core.clock.advanceTo(t0 + 600 * DAY_MS);
    expect(core.service.getDevice(e.managedDeviceId)).toBeDefined();
    core.service.requestAction(e.managedDeviceId, { action: 'sync' }, ADMIN);
    await core.clock.advanceTo(t0 + 602 * DAY_MS);
    expect(core.service.getDevice(e.managedDeviceId)).toBeDefined();
    // …but a retire queued now is removed at the next sweep: the certificate is long expired.
    core.service.requestAction(e.managedDeviceId, { action: 'retire' }, ADMIN);
    await core.clock.advanceTo(t0 + 602 * DAY_MS + HOUR_MS);
    expect(core.service.devices.get(e.managedDeviceId)?.removedWhy).toBe('certificateExpired');
  });

  it('a device in touch has its certificate renewed within 60 days of expiry, for a year from that check-in', async () => {
    const { core, e, t0, facts } = started(PC);
    const channel = () => core.service.channels.get(e.channelId)!;
    await core.clock.advanceTo(t0 + 305 * DAY_MS);
    core.up(e.channelId, { type: 'checkIn', reason: 'schedule', facts });
    expect(channel().certificateExpiresAtMs).toBe(t0 + 365 * DAY_MS); // 60 days left: not yet
    await core.clock.advanceTo(t0 + 305 * DAY_MS + 1);
    core.up(e.channelId, { type: 'checkIn', reason: 'schedule', facts });
    expect(channel().certificateExpiresAtMs).toBe(t0 + 305 * DAY_MS + 1 + 365 * DAY_MS);
    expect(core.store.loadAll().channels[0]?.certificateExpiresAtMs).toBe(t0 + 670 * DAY_MS + 1);
  });

  it('the first sweep runs an hour after the start, then every hour', async () => {
    const core = serviceCore();
    const [d] = core.devices({ ...PC, count: 1 });
    const e = core.enroll(d!, 'enroll-d-0');
    core.service.setCleanupDays(30);
    await core.clock.advanceBy(31 * DAY_MS); // not started: nothing sweeps
    expect(core.service.getDevice(e.managedDeviceId)).toBeDefined();
    core.service.start();
    await core.clock.advanceBy(HOUR_MS - 1);
    expect(core.service.getDevice(e.managedDeviceId)).toBeDefined();
    await core.clock.advanceBy(1);
    expect(core.service.getDevice(e.managedDeviceId)).toBeUndefined();
  });

  it('D-8: a wipe the device acknowledged but never finished is stuck too; one that failed is not', async () => {
    const { core, e, t0, facts } = started(PC);
    const wipe = core.service.requestAction(e.managedDeviceId, { action: 'wipe', options: {} }, ADMIN);
    if (!wipe.ok) throw new Error('refused');
    core.up(e.channelId, { type: 'checkIn', reason: 'push', facts });
    core.up(e.channelId, { type: 'ack', commandId: wipe.value.id });
    const second = serviceCore();
    const [d2] = second.devices({ ...PC, count: 1 });
    const e2 = second.enroll(d2!, 'enroll-d-0');
    second.service.start();
    const failed = second.service.requestAction(e2.managedDeviceId, { action: 'wipe', options: {} }, ADMIN);
    if (!failed.ok) throw new Error('refused');
    second.up(e2.channelId, {
      type: 'result',
      commandId: failed.value.id,
      status: 'failed',
      reasonCode: 'deviceBusy',
      rules: [],
      facts: factsOf(d2!.state),
    });
    // The renewal at the check-ins above counts from then: both certificates expire a year after t0.
    const due = t0 + 365 * DAY_MS + 180 * DAY_MS;
    await core.clock.advanceTo(due);
    await second.clock.advanceTo(due);
    expect(core.service.devices.get(e.managedDeviceId)?.removedWhy).toBe('certificateExpired');
    expect(second.service.getDevice(e2.managedDeviceId)?.managementState).toBe('wipeFailed');
  });

  it('credentials stop working when the certificate expires', async () => {
    const { core, e, t0 } = started(PC);
    await core.clock.advanceTo(t0 + 365 * DAY_MS - 1);
    expect(core.service.authenticateChannel(e.channelId, e.token)).toBe(true);
    await core.clock.advanceTo(t0 + 365 * DAY_MS);
    expect(core.service.authenticateChannel(e.channelId, e.token)).toBe(false);
  });
});
