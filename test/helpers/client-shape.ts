/**
 * Run as its own process (`node --allow-natives-syntax --import tsx`): one device enrolls over the
 * real broker in memory, and this prints whether its connected MqttClient still has fast (not
 * dictionary-mode) properties — what V8 keeps for it, which no ordinary JavaScript can observe.
 * With `--delete-field` it first deletes a class field, as mqtt.js's unfixed CONNACK handler does,
 * so the probe is shown to tell the two apart.
 */
import type { MqttClient } from 'mqtt';
import { startVirtualFleet } from './virtual-fleet.ts';

const hasFastProperties = new Function('o', 'return %HasFastProperties(o)') as (o: object) => boolean;

const fleet = await startVirtualFleet({ seed: 'client-shape', cohorts: [{ platform: 'ios', count: 1 }] });
try {
  await fleet.clock.advanceBy(10 * 60_000);
  const [agent] = [...fleet.runner.agents.values()];
  // The agent's live channel: private to it, reached here only to look at its shape.
  const client = (agent as unknown as { link: { open: { client: MqttClient } | null } }).link.open?.client;
  if (!client?.connected) throw new Error('client-shape: the device has no connected channel');
  if (process.argv.includes('--delete-field'))
    delete (client as unknown as Record<string, unknown>).topicAliasSend;
  process.stdout.write(`${JSON.stringify({ fast: hasFastProperties(client) })}\n`);
} finally {
  await fleet.close();
}
