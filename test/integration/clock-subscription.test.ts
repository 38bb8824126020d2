import { afterEach, describe, expect, it } from 'vitest';
import type { ClockMessage } from '../../sim/wire/schemas.ts';
import { CLOCK_TOPIC, deviceDownTopic } from '../../sim/wire/topics.ts';
import { startVirtualFleet, type VirtualFleet } from '../helpers/virtual-fleet.ts';

/** The topics the real aedes broker holds for a connected client. */
function subscriptionsOf(fleet: VirtualFleet, clientId: string): string[] {
  const clients = (
    fleet.server.broker.aedes as unknown as {
      clients: Record<string, { subscriptions: Record<string, unknown> } | undefined>;
    }
  ).clients;
  return Object.keys(clients[clientId]?.subscriptions ?? {}).sort();
}

describe('the clock topic', () => {
  let fleet: VirtualFleet | null = null;
  afterEach(async () => {
    await fleet?.close();
    fleet = null;
  });

  it('devices sharing the clock object subscribe to their own down topic only', async () => {
    fleet = await startVirtualFleet({ cohorts: [{ platform: 'ios', count: 2 }] });
    for (const agent of fleet.runner.all()) {
      const channelId = agent.credentials!.channelId;
      expect(subscriptionsOf(fleet, channelId)).toEqual([deviceDownTopic(channelId)]);
    }
  });

  it('devices that follow the service clock subscribe to it and receive its retained message', async () => {
    const heard: ClockMessage[] = [];
    fleet = await startVirtualFleet({
      cohorts: [{ platform: 'ios', count: 2 }],
      onClock: (m) => heard.push(m),
    });
    for (const agent of fleet.runner.all()) {
      const channelId = agent.credentials!.channelId;
      expect(subscriptionsOf(fleet, channelId)).toEqual([CLOCK_TOPIC, deviceDownTopic(channelId)].sort());
    }
    expect(heard.length).toBe(2);
    expect(heard.every((m) => m.mode === 'virtual')).toBe(true);
  });
});
