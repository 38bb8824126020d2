/**
 * One process of plain mqtt.js clients for the bare loop (bench/bare-loop.ts): each connects,
 * subscribes to its own command topic at QoS 1 and answers every command at QoS 1 — no device
 * model, no store, no schedule. A command `tag|notify|qos` starts fleetsim's round of a sync
 * instead (notify, check-in, commands, result, result acknowledgement: five messages) at that QoS. JSON lines on stdout: `idle` (RSS before any client), `ready`
 * (all subscribed), `rss` when sent `{"cmd":"rss"}` on stdin; `{"cmd":"exit"}` closes every client and exits.
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { connectAsync, type MqttClient } from 'mqtt';

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    count: { type: 'string' },
    prefix: { type: 'string' },
    /** Connections opening at once; more would overflow the listen backlog and cost SYN retries. */
    window: { type: 'string', default: '256' },
  },
});
const count = Number(values.count);
const say = (o: object) => process.stdout.write(`${JSON.stringify(o)}\n`);
/** CPU seconds this process has used (user + system). */
const cpuS = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};
say({ type: 'idle', rssBytes: process.memoryUsage().rss, cpuS: cpuS() });

const clients: MqttClient[] = [];
async function open(i: number): Promise<void> {
  const id = `${values.prefix}-${i}`;
  const client = await connectAsync(values.url!, { clientId: id, reconnectPeriod: 0, keepalive: 300 });
  client.on('message', (_topic, payload) => {
    const text = payload.toString('utf8');
    const bar = text.indexOf('|');
    if (bar < 0) return void client.publish(`bench/${id}/up`, payload, { qos: 1 }); // one exchange
    // fleetsim's round of a sync: notify → check-in → commands → result (it acknowledges) → result ack.
    // `tag|kind|qos`: the round's QoS rides along (fleetsim's own is 0; 1 for the bare exchange).
    const [tag, kind, q] = text.split('|');
    const qos = q === '0' ? 0 : 1;
    if (kind === 'notify') client.publish(`bench/${id}/up`, `${tag}|checkin|${qos}`, { qos });
    else if (kind === 'commands') client.publish(`bench/${id}/up`, `${tag}|result|${qos}`, { qos });
  });
  await client.subscribeAsync(`bench/${id}/down`, { qos: 1 });
  clients.push(client);
}
let next = 0;
const worker = async () => {
  while (next < count) await open(next++);
};
await Promise.all(Array.from({ length: Math.min(Number(values.window), count) }, worker));
say({ type: 'ready', clients: clients.length, cpuS: cpuS() });

createInterface({ input: process.stdin }).on('line', async (line) => {
  const { cmd } = JSON.parse(line) as { cmd: string };
  if (cmd === 'rss') say({ type: 'rss', rssBytes: process.memoryUsage().rss, cpuS: cpuS() });
  if (cmd === 'exit') {
    await Promise.all(clients.map((c) => c.endAsync(true)));
    process.exit(0);
  }
});
