import { afterEach, describe, expect, it, vi } from 'vitest';
import { FleetBroker } from '../../broker/mqtt/broker.ts';
import { IntuneService } from '../../broker/service/service.ts';
import type { ChannelSession } from '../../broker/service/types.ts';
import { HOUR_MS } from '../../sim/time-units.ts';
import type { DeviceUp } from '../../sim/wire/schemas.ts';
import { parseTopic } from '../../sim/wire/topics.ts';
import { memoryConnector } from '../../transport/connector.ts';
import { ADMIN } from '../helpers/admin.ts';
import { startVirtualFleet, type VirtualFleet } from '../helpers/virtual-fleet.ts';

/** Every message the broker's publish check hands the service link (undefined: none was kept). */
function decodedByBroker(): unknown[] {
  const decoded: unknown[] = [];
  const check = FleetBroker.prototype.checkedMessage;
  vi.spyOn(FleetBroker.prototype, 'checkedMessage').mockImplementation(function (this: FleetBroker, p) {
    const m = check.call(this, p);
    decoded.push(m?.message);
    return m;
  });
  return decoded;
}

/** Every message the service handles with these methods, in order. */
function handledByService(names: readonly ('handleDeviceMessage' | 'handleEnroll')[]): unknown[] {
  const handled: unknown[] = [];
  for (const name of names) {
    const handle = IntuneService.prototype[name] as (this: IntuneService, id: string, m: never) => void;
    vi.spyOn(IntuneService.prototype, name).mockImplementation(function (
      this: IntuneService,
      id: string,
      m: unknown,
    ) {
      handled.push(m);
      handle.call(this, id, m as never);
    });
  }
  return handled;
}

/**
 * The service's side of the wire runs in the broker's process (ServiceLink): it subscribes and
 * publishes through the embedded aedes itself, and handles a message as the broker validated it.
 */
describe('the in-process service link', () => {
  let fleet: VirtualFleet | null = null;
  afterEach(async () => {
    vi.restoreAllMocks();
    await fleet?.close();
    fleet = null;
  });

  it('handles the message the broker validated, not a second parse of it', async () => {
    fleet = await startVirtualFleet({
      seed: 'link',
      cohorts: [{ platform: 'androidDeviceAdmin', count: 2 }],
    });
    const checked = decodedByBroker();
    const handled = handledByService(['handleDeviceMessage']) as DeviceUp[];
    await fleet.clock.advanceBy(HOUR_MS);
    expect(handled.length).toBeGreaterThan(4); // Android checks in every 3 minutes at first
    expect(handled.every((m) => m.type === 'checkIn')).toBe(true);
    expect(checked).toHaveLength(handled.length);
    // The very objects the broker's publish check decoded.
    for (const [i, m] of handled.entries()) expect(m).toBe(checked[i]);
  });

  it("hands the service each device message with its connection's handle on the channel, not its id alone", async () => {
    fleet = await startVirtualFleet({
      seed: 'link',
      cohorts: [{ platform: 'androidDeviceAdmin', count: 2 }],
    });
    const calls: { channelId: string; session: ChannelSession | null }[] = [];
    const handle = IntuneService.prototype.handleDeviceMessage;
    vi.spyOn(IntuneService.prototype, 'handleDeviceMessage').mockImplementation(function (
      this: IntuneService,
      channelId,
      message,
      session = null,
    ) {
      calls.push({ channelId, session });
      handle.call(this, channelId, message, session);
    });
    await fleet.clock.advanceBy(HOUR_MS);
    expect(calls.length).toBeGreaterThan(4);
    for (const { channelId, session } of calls) {
      expect(session?.channel.id).toBe(channelId);
      expect(session?.device?.channelId).toBe(channelId);
    }
    // One handle per connection, made when it connected: each device's messages carry their own.
    expect(new Set(calls.map((c) => c.session)).size).toBe(2);
  });

  it('hands the service a checked message once, and only for the very payload checked', async () => {
    fleet = await startVirtualFleet({
      seed: 'link',
      cohorts: [{ platform: 'androidDeviceAdmin', count: 1 }],
    });
    const reads: { copy: unknown; first: unknown; again: unknown }[] = [];
    const check = FleetBroker.prototype.checkedMessage;
    vi.spyOn(FleetBroker.prototype, 'checkedMessage').mockImplementation(function (this: FleetBroker, p) {
      const copy = check.call(this, Buffer.from(p)); // the same bytes in another buffer
      const first = check.call(this, p);
      const message = first?.message;
      reads.push({ copy, first: message, again: check.call(this, p) });
      return first;
    });
    await fleet.clock.advanceBy(HOUR_MS);
    expect(reads.length).toBeGreaterThan(4);
    for (const r of reads) {
      expect(r.copy).toBeUndefined();
      expect(r.first).toMatchObject({ type: 'checkIn' });
      expect(r.again).toBeUndefined();
    }
  });

  it('handles enrollments, acknowledgements and results as the broker validated them too', async () => {
    const decoded = decodedByBroker();
    const handled = handledByService(['handleDeviceMessage', 'handleEnroll']);
    fleet = await startVirtualFleet({ seed: 'link', cohorts: [{ platform: 'ios', count: 1 }] });
    const record = fleet.recordOf(fleet.runner.all()[0]!)!;
    expect(fleet.server.service.requestAction(record.id, { action: 'retire' }, ADMIN).ok).toBe(true);
    await fleet.clock.advanceBy(HOUR_MS);
    const types = handled.map((m) => (m as { type?: string }).type ?? 'enroll');
    expect(new Set(types)).toEqual(new Set(['enroll', 'checkIn', 'ack', 'result']));
    expect(decoded).toHaveLength(handled.length);
    // Each one the very object the broker's publish check decoded: none parsed a second time.
    for (const [i, m] of handled.entries()) expect(m).toBe(decoded[i]);
  });

  it('has no connection of its own; its publishes are routed and counted as the service’s', async () => {
    fleet = await startVirtualFleet({ seed: 'link', cohorts: [{ platform: 'ios', count: 1 }] });
    const { broker, service } = fleet.server;
    const clients = (broker.aedes as unknown as { clients: Record<string, unknown> }).clients;
    expect(Object.keys(clients)).toEqual([fleet.runner.all()[0]!.credentials!.channelId]);
    const before = broker.stats.published;
    const from: (string | undefined)[] = [];
    broker.aedes.on('publish', (packet, client) => {
      if (parseTopic(packet.topic)?.kind === 'deviceDown') from.push(client?.id);
    });
    const record = fleet.recordOf(fleet.runner.all()[0]!)!;
    expect(
      service.requestAction(record.id, { action: 'sync' }, { userPrincipalName: 'a@b.c', source: 'admin' })
        .ok,
    ).toBe(true);
    await fleet.clock.advanceBy(HOUR_MS);
    // notify, the commands, the result's acknowledgement: each the service's, over the broker.
    expect(from).toEqual(['fleetsim-service', 'fleetsim-service', 'fleetsim-service']);
    expect(broker.stats.published - before).toBeGreaterThanOrEqual(3 + 4); // and the device's own
  });

  it('a publish the broker refuses does not leave the virtual clock waiting for it', async () => {
    fleet = await startVirtualFleet({ seed: 'link', cohorts: [{ platform: 'ios', count: 1 }] });
    // aedes refuses a topic of more than 100 levels before routing it.
    fleet.server.link.toDevice(Array.from({ length: 120 }, () => 'x').join('/'), {
      type: 'notify',
      channel: 'APNs',
    });
    await fleet.clock.settle(); // would reject after the stall limit with the publish still counted
    expect(fleet.clock.tracker.pending).toBe(0);
  });

  it('nothing can connect as the service: it has no connection, so no credentials either', async () => {
    fleet = await startVirtualFleet({ seed: 'link', cohorts: [{ platform: 'ios', count: 1 }] });
    const { broker } = fleet.server;
    const connect = memoryConnector((stream) => broker.handle(stream));
    const refusedBefore = broker.stats.authRefused;
    await expect(
      connect({
        clientId: 'fleetsim-service',
        username: 'fleetsim-service',
        password: 'x',
        reconnect: false,
      }),
    ).rejects.toThrow(/Bad username or password/);
    expect(broker.stats.authRefused).toBe(refusedBefore + 1);
  });
});
