import { afterEach, describe, expect, it } from 'vitest';
import { isOpen } from '../../broker/service/registry.ts';
import type { ActionRequest } from '../../sim/eligibility.ts';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../../sim/time-units.ts';
import { ADMIN } from '../helpers/admin.ts';
import { startVirtualFleet, type VirtualFleet } from '../helpers/virtual-fleet.ts';

/**
 * Queues through the real broker and real agents on the virtual clock: however long a device's
 * queue, whatever arrives at once, every action ends in a final state.
 */
let fleet: VirtualFleet | null = null;
afterEach(async () => {
  await fleet?.close();
  fleet = null;
});

/** Requests a PC can take without leaving management, then the one that ends it. */
const KEEPING: ActionRequest[] = [
  { action: 'sync' },
  { action: 'freshStart', keepUserData: true },
  { action: 'wipe', options: { keepEnrollmentData: true } },
  { action: 'wipe', options: { keepUserData: true } },
];

describe('queued actions all end', () => {
  it('1,000 requests queued while a device is offline: each one joins or becomes an action, and every action ends once the device is back', async () => {
    fleet = await startVirtualFleet({
      seed: 'queue-1000',
      cohorts: [{ platform: 'windows10', count: 1, osVersion: '22H2' }],
      commandsPerMessage: 1, // pages of one: the queue goes out in several answers
    });
    const { service } = fleet.server;
    const [agent] = fleet.runner.all();
    agent!.setNetwork(false);
    await fleet.clock.advanceBy(MINUTE_MS);
    const deviceId = fleet.recordOf(agent!)!.id;
    const ids = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const r = service.requestAction(
        deviceId,
        i === 999 ? { action: 'retire' } : KEEPING[i % KEEPING.length]!,
        ADMIN,
      );
      if (!r.ok || !r.value) throw new Error(`refused: ${JSON.stringify(r)}`);
      ids.add(r.value.id);
    }
    // Identical requests joined the open action: four kinds of keeping action, and the retire.
    expect(ids.size).toBe(5);
    await fleet.clock.advanceBy(DAY_MS);
    expect([...ids].map((id) => service.actions.get(id)!.state)).toEqual([...ids].map(() => 'pending'));

    agent!.setNetwork(true);
    const all = () => [...ids].map((id) => service.actions.get(id)!);
    await fleet.clock.runUntil(() => all().every((a) => !isOpen(a)), DAY_MS);
    const states = all().map((a) => [a.kind, a.state]);
    // In request order, page by page: each keeping action runs, then the retire takes the device out.
    expect(states).toEqual([
      ['sync', 'done'],
      ['freshStart', 'done'],
      ['wipe', 'done'],
      ['wipe', 'done'],
      ['retire', 'done'],
    ]);
    // The sync's page said more was waiting: the device asked for the next page at once.
    expect(fleet.log.ofType('device.checkIn').filter((e) => e.reason === 'more').length).toBeGreaterThan(0);
    await fleet.clock.runUntil(() => agent!.credentials === null, HOUR_MS);
    expect(agent!.credentials).toBeNull(); // released once its final result was acknowledged
    // It heard the acknowledgement before its connection was dropped: no refused reconnection.
    expect(fleet.log.ofType('agent.released').map((e) => e.how)).toEqual(['acknowledged']);
    expect(fleet.log.ofType('auth.refused')).toEqual([]);
  });

  it('a retire queued behind a wipe ends (the device was busy resetting), never pending', async () => {
    fleet = await startVirtualFleet({
      seed: 'queue-cancel',
      cohorts: [{ platform: 'windows10', count: 1, osVersion: '22H2' }],
    });
    const { service } = fleet.server;
    const [agent] = fleet.runner.all();
    agent!.setNetwork(false);
    const deviceId = fleet.recordOf(agent!)!.id;
    const wipe = service.requestAction(deviceId, { action: 'wipe', options: {} }, ADMIN);
    const retire = service.requestAction(deviceId, { action: 'retire' }, ADMIN);
    if (!wipe.ok || !retire.ok) throw new Error('refused');
    agent!.setNetwork(true);
    const both = () => [wipe.value.id, retire.value.id].map((id) => service.actions.get(id)!);
    await fleet.clock.runUntil(() => both().every((a) => !isOpen(a)), DAY_MS);
    // Both came in one page: the wipe started its reset, so the retire found the device busy.
    expect(both().map((a) => [a.kind, a.state, a.reasonCode])).toEqual([
      ['wipe', 'done', null],
      ['retire', 'failed', 'deviceBusy'],
    ]);
    expect(service.devices.get(deviceId)?.listed).toBe(false);
  });
});

describe('W-5: a network flap in the middle of a keep-enrollment reset', () => {
  it.each([
    ['keep-enrollment wipe', { action: 'wipe', options: { keepEnrollmentData: true } } as const],
    ['Fresh Start keeping user data', { action: 'freshStart', keepUserData: true } as const],
  ])('does not stop the check-ins after a %s', async (_name, request) => {
    fleet = await startVirtualFleet({
      seed: 'flap',
      cohorts: [{ platform: 'windows10', count: 1, osVersion: '22H2' }],
    });
    const { service } = fleet.server;
    const [agent] = fleet.runner.all();
    const r = service.requestAction(fleet.recordOf(agent!)!.id, request, ADMIN);
    if (!r.ok) throw new Error('refused');
    await fleet.clock.runUntil(() => agent!.device.state.nvram.resetJob !== null, HOUR_MS);
    agent!.setNetwork(false);
    await fleet.clock.advanceBy(MINUTE_MS);
    agent!.setNetwork(true);
    await fleet.clock.runUntil(() => service.actions.get(r.value.id)!.state === 'done', DAY_MS);
    const doneAt = fleet.clock.now();
    await fleet.clock.advanceBy(2 * DAY_MS);
    const after = fleet.log
      .ofType('device.checkIn')
      .filter((e) => e.atMs > doneAt && e.reason === 'schedule');
    expect(after.length).toBeGreaterThanOrEqual(2); // a Windows PC checks in every 8 hours (S-3)
    expect(fleet.recordOf(agent!)?.managementState).toBe('managed');
  });
});
