import { afterEach, describe, expect, it, vi } from 'vitest';
import { FlightTracker } from '../../sim/clock/flight-tracker.ts';
import { HOUR_MS } from '../../sim/time-units.ts';
import { startVirtualFleet, type VirtualFleet } from '../helpers/virtual-fleet.ts';

/**
 * The broker keeps what it knows of a connected client (its role, its counts in the flight
 * tracker) on the client itself: a check-in looks nothing up by client id (broker/mqtt/broker.ts).
 */
describe("the broker's client sessions", () => {
  let fleet: VirtualFleet | null = null;
  afterEach(async () => {
    vi.restoreAllMocks();
    await fleet?.close();
    fleet = null;
  });

  it('finds a device in the flight tracker once per connection, not once per message', async () => {
    const byId = vi.spyOn(FlightTracker.prototype, 'tracked');
    const routed: unknown[] = [];
    const route = FlightTracker.prototype.routed;
    vi.spyOn(FlightTracker.prototype, 'routed').mockImplementation(function (this: FlightTracker, c) {
      routed.push(c);
      route.call(this, c);
    });
    fleet = await startVirtualFleet({
      seed: 'sessions',
      cohorts: [{ platform: 'androidDeviceAdmin', count: 3 }],
    });
    byId.mockClear();
    routed.length = 0;
    const checkIns = () => fleet!.server.log.all().filter((e) => e.type === 'device.checkIn').length;
    const before = checkIns();
    await fleet.clock.advanceBy(HOUR_MS);
    // Every check-in of the hour was routed and counted by the session's counts.
    expect(checkIns() - before).toBeGreaterThan(6);
    expect(routed.length).toBe(checkIns() - before);
    expect(routed.every((c) => typeof c === 'object')).toBe(true);
    expect(byId).not.toHaveBeenCalled();
    expect(fleet.clock.tracker.pending).toBe(0);
  });

  it('has let a client it dropped go by the next instant of the virtual clock', async () => {
    fleet = await startVirtualFleet({ seed: 'sessions', cohorts: [{ platform: 'windows10', count: 2 }] });
    const { broker } = fleet.server;
    const clients = (broker.aedes as unknown as { clients: Record<string, unknown> }).clients;
    const [gone, stays] = fleet.runner.all().map((a) => a.credentials!.channelId) as [string, string];
    const seen: string[][] = [];
    const now = fleet.clock.now();
    fleet.clock.schedule(now + 1, 'test:drop', () => broker.disconnect(gone));
    fleet.clock.schedule(now + 2, 'test:look', () => seen.push(Object.keys(clients)));
    await fleet.clock.advanceTo(now + 3);
    expect(seen).toEqual([[stays]]);
    expect(fleet.clock.tracker.pending).toBe(0);
  });

  it('counts the TCP connections open to it, for the virtual clock to settle by; none over memory', async () => {
    fleet = await startVirtualFleet({ seed: 'sessions', cohorts: [{ platform: 'ios', count: 2 }] });
    expect(fleet.clock.tracker.sockets).toBe(0);
    await fleet.close();
    fleet = await startVirtualFleet({
      seed: 'sessions',
      cohorts: [{ platform: 'ios', count: 2 }],
      transport: 'tcp',
    });
    const { tracker } = fleet.clock;
    expect(tracker.sockets).toBe(2);
    await fleet.runner.stop();
    await fleet.clock.advanceBy(1_000);
    expect(tracker.sockets).toBe(0);
  });
});
