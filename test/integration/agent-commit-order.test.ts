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

  it('stores once, then sends the acknowledgement and the result, in that order', async () => {
    fleet = await startVirtualFleet({
      seed: 'commit-order',
      cohorts: [{ platform: 'ios', count: 1 }],
      agentDb: ':memory:',
    });
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
      publish.call(this, topic, body, retain);
    });
    const record = fleet.recordOf(agent)!;
    expect(fleet.server.service.requestAction(record.id, { action: 'sync' }, ADMIN).ok).toBe(true);
    await fleet.clock.advanceBy(5 * MINUTE_MS);
    // push → check-in (nothing to store) → the command: one save, then its ack and result →
    // the service's result acknowledgement: the outbox emptied, stored.
    const fromCommand = trace.slice(trace.indexOf('send checkIn') + 1);
    expect(fromCommand).toEqual(['save', 'send ack', 'send result', 'save']);
    expect(agent.unacknowledgedResults).toBe(0);
  });
});
