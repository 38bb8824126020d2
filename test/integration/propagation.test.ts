import { afterEach, describe, expect, it } from 'vitest';
import { PLATFORMS } from '../../sim/platforms/index.ts';
import { PLATFORM_IDS, type PlatformId } from '../../sim/platforms/types.ts';
import { HOUR_MS, MINUTE_MS } from '../../sim/time-units.ts';
import { act, current, propagationMs } from '../helpers/admin.ts';
import { startVirtualFleet, type VirtualFleet } from '../helpers/virtual-fleet.ts';

/**
 * W-7 and R-4: from the admin's request to the device's acknowledgement (actionState `active`),
 * on the virtual clock, with the real aedes broker and mqtt.js clients. W-5 and R-2 ride along.
 */
const FIFTEEN_MINUTES = 15 * MINUTE_MS;
const cohort = (platform: PlatformId) => ({
  name: platform,
  platform,
  count: 2,
  // iOS User Enrollment cannot be wiped (W-3): use the enrollments that can.
  ...(platform === 'ios' ? { enrollmentType: 'companyPortal' as const } : {}),
  ...(platform === 'windows10' ? { osVersion: '22H2' } : {}),
});
const WIPEABLE = PLATFORM_IDS.filter((p) => p !== 'androidWorkProfile');
const RETIRABLE = PLATFORM_IDS.filter(
  (p) => !['androidDedicated', 'androidFullyManaged', 'androidCorporateWorkProfile'].includes(p),
);

let fleet: VirtualFleet | null = null;
afterEach(async () => {
  await fleet?.close();
  fleet = null;
});

describe.each([
  ['wipe', WIPEABLE, 'W-7', 'memory'],
  ['retire', RETIRABLE, 'R-4', 'memory'],
  ['wipe', WIPEABLE, 'W-7', 'tcp'],
  ['retire', RETIRABLE, 'R-4', 'tcp'],
] as const)(
  '%s reaches every connected device in under 15 minutes (%s, over %s)',
  (action, platforms, specId, transport) => {
    it(`${specId}: every platform, past the enrollment phases, acknowledges within 15 sim-minutes and then completes`, async () => {
      fleet = await startVirtualFleet({ seed: `prop-${action}`, cohorts: platforms.map(cohort), transport });
      await fleet.clock.advanceBy(3 * HOUR_MS); // past the frequent check-ins of newly enrolled devices
      const agents = fleet.runner.all();
      const actions = agents.map((agent) =>
        act(fleet!, agent, action === 'wipe' ? { action: 'wipe', options: {} } : { action: 'retire' }),
      );
      await fleet.clock.advanceBy(FIFTEEN_MINUTES);
      const slow = actions.filter((a) => {
        const ms = propagationMs(fleet!, a);
        return ms === null || ms >= FIFTEEN_MINUTES;
      });
      expect(slow.map((a) => fleet!.server.service.devices.get(a.deviceId)?.identity.platform)).toEqual([]);
      for (const a of actions) expect(current(fleet, a).state).toMatch(/active|done/);

      // Then each completes over its modeled duration and leaves the list (S-1).
      const done = await fleet.clock.runUntil(
        () => actions.every((a) => current(fleet!, a).state === 'done'),
        3 * HOUR_MS,
      );
      expect(done).toBe(true);
      for (const a of actions) expect(fleet.server.service.getDevice(a.deviceId)).toBeUndefined();
      for (const agent of agents) {
        // D-7: a wiped ADE device enrolls again at setup while Apple Business Manager assigns it.
        const reenrolls =
          action === 'wipe' && agent.device.identity.enrollmentType === 'automatedDeviceEnrollment';
        expect(agent.device.state.management.enrolled, agent.serialNumber).toBe(reenrolls);
      }
      // Every platform was there.
      expect(new Set(agents.map((a) => a.device.identity.platform))).toEqual(new Set(platforms));
    });
  },
);

describe('when the device is not reachable', () => {
  it('W-7: an offline device gets the wipe at its first check-in after it comes back', async () => {
    fleet = await startVirtualFleet({
      seed: 'offline',
      cohorts: [cohort('androidKnox'), cohort('windows10')],
    });
    const [away, present] = fleet.runner.all();
    away!.setNetwork(false);
    await fleet.clock.advanceBy(HOUR_MS);
    const wipeAway = act(fleet, away!, { action: 'wipe', options: {} });
    const wipePresent = act(fleet, present!, { action: 'wipe', options: {} });
    await fleet.clock.advanceBy(2 * HOUR_MS);
    expect(current(fleet, wipeAway)).toMatchObject({ state: 'pending', deliveredAtMs: null });
    expect(propagationMs(fleet, wipePresent)).toBeLessThan(FIFTEEN_MINUTES);
    // The missed pushes: the first and three retries, 5 minutes apart (S-4).
    const pushes = fleet.log.ofType('push.sent').filter((e) => e.deviceId === wipeAway.deviceId);
    expect(pushes.map((e) => e.attempt)).toEqual([1, 2, 3, 4]);
    expect(pushes.map((e) => e.atMs - pushes[0]!.atMs)).toEqual([0, 5, 10, 15].map((m) => m * MINUTE_MS));

    const back = fleet.clock.now();
    away!.setNetwork(true); // S-3: it checks in when its network returns
    await fleet.clock.runUntil(() => current(fleet!, wipeAway).acknowledgedAtMs !== null, HOUR_MS);
    expect(current(fleet, wipeAway).acknowledgedAtMs! - back).toBeLessThan(MINUTE_MS);
  });

  it('S-4 and W-7: with the push channel down, a device past its first 2 hours waits for its schedule — the 15-minute promise fails', async () => {
    fleet = await startVirtualFleet({
      seed: 'outage',
      cohorts: [cohort('ios'), cohort('androidDeviceAdmin'), cohort('windows10')],
    });
    await fleet.clock.advanceBy(3 * HOUR_MS);
    for (const channel of ['APNs', 'FCM', 'WNS'] as const)
      fleet.server.service.setPushChannel(channel, false);
    const actions = fleet.runner.all().map((agent) => act(fleet!, agent, { action: 'retire' }));
    await fleet.clock.advanceBy(FIFTEEN_MINUTES);
    for (const a of actions) expect(propagationMs(fleet, a)).toBeNull();
    expect(fleet.log.ofType('push.sent')).toEqual([]);
    expect(fleet.log.ofType('push.suppressed').length).toBeGreaterThan(0);
    // They arrive with the ~8-hour check-in (8 h ± 10%).
    const arrived = await fleet.clock.runUntil(
      () => actions.every((a) => propagationMs(fleet!, a) !== null),
      9 * HOUR_MS,
    );
    expect(arrived).toBe(true);
    for (const a of actions) expect(propagationMs(fleet, a)).toBeGreaterThan(FIFTEEN_MINUTES);
    for (const a of actions)
      expect(propagationMs(fleet, a)).toBeLessThanOrEqual(PLATFORMS.ios.checkIn.steadyIntervalMs * 1.1);
  });
});

describe('W-5 and R-2', () => {
  it('W-5: after a keep-enrollment wipe the device stays managed and gets its MDM policies back when it connects', async () => {
    fleet = await startVirtualFleet({
      seed: 'keep',
      cohorts: [{ platform: 'windows10', count: 1, osVersion: '22H2' }],
    });
    const [agent] = fleet.runner.all();
    const record = fleet.recordOf(agent!)!;
    const assigned = record.assignedPolicies.map((p) => p.id);
    expect(assigned.length).toBeGreaterThan(0);
    const wipe = act(fleet, agent!, { action: 'wipe', options: { keepUserData: true } });
    await fleet.clock.runUntil(() => current(fleet!, wipe).state === 'done', 3 * HOUR_MS);
    expect(current(fleet, wipe).rules).toContain('W-2');
    const applied = fleet.log
      .ofType('agent.model')
      .filter((e) => e.event.type === 'policiesApplied' && e.serialNumber === agent!.serialNumber);
    await fleet.clock.runUntil(
      () => agent!.device.state.management.policies.length === assigned.length,
      HOUR_MS,
    );
    expect(agent!.device.state.management.policies.map((p) => p.id)).toEqual(assigned);
    expect(fleet.log.ofType('agent.model').filter((e) => e.event.type === 'policiesApplied').length).toBe(
      applied.length + 1,
    );
    // The settings those policies enforce are enforced again.
    const enforced = record.assignedPolicies.flatMap((p) => p.settings.map((s) => s.key));
    for (const key of enforced)
      expect(agent!.device.state.settings.find((s) => s.key === key)?.enforced).toBe(true);
    expect(fleet.server.service.getDevice(record.id)?.managementState).toBe('managed');
  });

  it('R-2: a retire takes effect when the device checks in; until then it is still listed', async () => {
    fleet = await startVirtualFleet({ seed: 'r2', cohorts: [cohort('macos')] });
    const [agent] = fleet.runner.all();
    agent!.setNetwork(false);
    const retire = act(fleet, agent!, { action: 'retire' });
    await fleet.clock.advanceBy(4 * HOUR_MS);
    const listed = fleet.server.service.getDevice(retire.deviceId);
    expect(listed?.managementState).toBe('retireIssued');
    expect(agent!.device.state.management.enrolled).toBe(true);
    agent!.setNetwork(true);
    await fleet.clock.runUntil(() => current(fleet!, retire).state === 'done', HOUR_MS);
    expect(fleet.server.service.getDevice(retire.deviceId)).toBeUndefined();
    expect(agent!.device.state.management.enrolled).toBe(false);
  });
});
