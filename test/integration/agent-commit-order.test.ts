import { afterEach, describe, expect, it, vi } from 'vitest';
import { AgentStore } from '../../agent/runtime/agent-store.ts';
import { MINUTE_MS } from '../../sim/time-units.ts';
import { WireEndpoint } from '../../transport/endpoint.ts';
import { ADMIN } from '../helpers/admin.ts';
import { startVirtualFleet, type VirtualFleet } from '../helpers/virtual-fleet.ts';

/**
 * A device commits before it tells: the state a command left (with the command in the inbox and
 * its result in the outbox) is stored before the acknowledgement and the result leave, so a crash
 * between the two loses nothing the service was told. And it stores once per message, not per step.
 */
describe('a device handling a command message', () => {
  let fleet: VirtualFleet | null = null;
  afterEach(async () => {
    vi.restoreAllMocks();
    await fleet?.close();
    fleet = null;
  });

  /** Starts one iOS device and records its saves and what it sends on its channel. */
  async function traced(seed: string, lost: (type: string) => boolean = () => false) {
    fleet = await startVirtualFleet({ seed, cohorts: [{ platform: 'ios', count: 1 }], agentDb: ':memory:' });
    const agent = fleet.runner.all()[0]!;
    const trace: string[] = [];
    vi.spyOn(AgentStore.prototype, 'save').mockImplementation(function (this: AgentStore) {
      trace.push('save');
    });
    const publish = WireEndpoint.prototype.publish;
    vi.spyOn(WireEndpoint.prototype, 'publish').mockImplementation(function (
      this: WireEndpoint,
      topic: string,
      body: object,
      retain?: boolean,
    ) {
      const type = (body as { type: string }).type;
      if (this.clientId === agent.credentials?.channelId) trace.push(`send ${type}`);
      if (!lost(type)) publish.call(this, topic, body, retain);
    });
    return { fleet, agent, trace, record: fleet.recordOf(agent)! };
  }

  it('stores once, then sends the result, which acknowledges a command that ends at once', async () => {
    const { fleet, agent, trace, record } = await traced('commit-order');
    expect(fleet.server.service.requestAction(record.id, { action: 'sync' }, ADMIN).ok).toBe(true);
    await fleet.clock.advanceBy(5 * MINUTE_MS);
    // push → check-in (nothing to store) → the command: one save, then its result →
    // the service's result acknowledgement: the outbox emptied, stored.
    const fromCommand = trace.slice(trace.indexOf('send checkIn') + 1);
    expect(fromCommand).toEqual(['save', 'send result', 'save']);
    expect(agent.unacknowledgedResults).toBe(0);
    // The service counts the command received (W-7's `active`) at the result, then done.
    const events = fleet.server.log
      .all()
      .filter((e) => e.type.startsWith('action.') && e.type !== 'action.requested');
    expect(events.map((e) => e.type)).toEqual([
      'action.delivered',
      'action.acknowledged',
      'action.completed',
    ]);
  });

  it('acknowledges a command that runs on (a wipe resetting) at once, after storing it', async () => {
    const { fleet, trace, record } = await traced('commit-order-wipe');
    expect(fleet.server.service.requestAction(record.id, { action: 'wipe', options: {} }, ADMIN).ok).toBe(
      true,
    );
    await fleet.clock.advanceBy(2 * MINUTE_MS);
    const fromCommand = trace.slice(trace.indexOf('send checkIn') + 1);
    expect(fromCommand.slice(0, 2)).toEqual(['save', 'send ack']);
    expect(fromCommand).not.toContain('send result');
    expect(fleet.server.service.getDevice(record.id)?.managementState).toBe('wipePending');
  });

  it('a resetting device acknowledges the reset again on a new connection, should the first have been lost', async () => {
    // The first acknowledgement goes down with its connection (QoS 0: no broker-level resend).
    let dropped = 0;
    const { fleet, agent, record } = await traced(
      'commit-order-lost-ack',
      (t) => t === 'ack' && dropped++ === 0,
    );
    expect(fleet.server.service.requestAction(record.id, { action: 'wipe', options: {} }, ADMIN).ok).toBe(
      true,
    );
    await fleet.clock.advanceBy(2 * MINUTE_MS);
    expect([dropped, fleet.server.service.getDevice(record.id)?.managementState]).toEqual([1, 'wipeIssued']);
    // The connection comes back (what the link does after mqtt.js reconnected).
    (agent as unknown as { talk(reason: string): void }).talk('restart');
    await fleet.clock.advanceBy(MINUTE_MS);
    expect(fleet.server.service.getDevice(record.id)?.managementState).toBe('wipePending');
    expect(fleet.server.log.ofType('action.acknowledged')).toHaveLength(1);
  });
});
