/**
 * The bare loop fleetsim is measured against (issue 10): aedes 1.2 and mqtt.js in their plainest
 * use. This process holds the broker and one "service" client (over TCP loopback); N plain
 * clients in K child processes (bench/bare-clients.ts) each answer QoS 1 commands. It times the
 * connects and two command rounds (every client, then a tenth of them) and prints one JSON line
 * of figures (BareFigures) on stdout. Run by bench/tcp.ts; alone:
 * `node --import tsx bench/bare-loop.ts --devices 2000 --processes 2 --port 24000`.
 */
import { createServer } from 'node:net';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Aedes } from 'aedes';
import { connectAsync } from 'mqtt';
import { type JsonProcess, spawnTs } from '../test/helpers/processes.ts';
import { splitEvenly } from './tcp-plan.ts';

export interface BareFigures {
  devices: number;
  /** Wall seconds from the first client's subscription to the last one's (all connected). */
  connectSpanS: number;
  /** Wall seconds from spawning the client processes to the last subscription. */
  connectWithStartS: number;
  /** Wall seconds from the first command published to the last answer, for every client. */
  roundAllS: number;
  /** The same for a tenth of the clients. */
  roundTenthS: number;
  /**
   * Every client again, in fleetsim's round of a sync (notify, check-in, commands, result — which
   * acknowledges the command —, result acknowledgement: five messages) with no device model and no
   * store: what fleetsim's protocol costs by itself over the same broker and client library. At QoS
   * 1, as the bare exchange; then at QoS 0, as fleetsim sends them (its safety rests on its own
   * acknowledgements, not on MQTT's).
   */
  roundProtocolS: number;
  roundProtocolQos0S: number;
  tenth: number;
  brokerIdleKb: number;
  brokerKb: number;
  clientsIdleKb: number;
  clientsKb: number;
  /** CPU seconds of the broker's process and of the clients' processes: connecting, then the first round. */
  cpu: {
    connect: { brokerS: number; clientsS: number };
    round: { brokerS: number; clientsS: number };
    protocol: { brokerS: number; clientsS: number };
    protocolQos0: { brokerS: number; clientsS: number };
  };
}

const { values } = parseArgs({
  options: {
    devices: { type: 'string', default: '2000' },
    processes: { type: 'string', default: '2' },
    port: { type: 'string' },
  },
});
const devices = Number(values.devices);
const port = Number(values.port);
const kb = (bytes: number) => Math.round(bytes / 1024);
const cpuS = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};
const sum = (lines: Record<string, unknown>[], key: string) => lines.reduce((n, l) => n + Number(l[key]), 0);

const broker = new Aedes();
await broker.listen();
const server = createServer(broker.handle);
await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
const url = `mqtt://127.0.0.1:${port}`;
const service = await connectAsync(url, { clientId: 'bench-service', reconnectPeriod: 0 });
await service.subscribeAsync('bench/+/up', { qos: 1 });

// Every answer, by the command's round tag: a round ends when each of its commands is answered.
const answered = new Map<string, number>();
const waiters = new Map<string, () => void>();
const count = (tag: string) => {
  const n = (answered.get(tag) ?? 0) + 1;
  answered.set(tag, n);
  waiters.get(`${tag}:${n}`)?.();
};
service.on('message', (topic, payload) => {
  const text = payload.toString('utf8');
  const bar = text.indexOf('|');
  if (bar < 0) return count(text);
  // fleetsim's round: a check-in gets the commands; a result is committed and acknowledged.
  const [tag, kind, q] = text.split('|');
  const qos = q === '0' ? 0 : 1;
  const down = topic.replace(/\/up$/, '/down');
  if (kind === 'checkin') service.publish(down, `${tag}|commands|${qos}`, { qos });
  else if (kind === 'result') {
    service.publish(down, `${tag}|resultAck|${qos}`, { qos });
    count(tag!);
  }
});
/** One command to each of `ids`, or with `protocol` fleetsim's round of a sync at that QoS. */
async function round(tag: string, ids: string[], protocol?: { qos: 0 | 1 }): Promise<number> {
  const done = new Promise<void>((resolve) => waiters.set(`${tag}:${ids.length}`, resolve));
  const t0 = performance.now();
  for (const id of ids)
    service.publish(`bench/${id}/down`, protocol ? `${tag}|notify|${protocol.qos}` : tag, {
      qos: protocol?.qos ?? 1,
    });
  await done;
  return (performance.now() - t0) / 1000;
}

await new Promise((r) => setTimeout(r, 500));
const brokerIdleKb = kb(process.memoryUsage().rss);

// The connect span is judged at the broker: a client counts once its subscription is in.
const subscribedAt: number[] = [];
broker.on('subscribe', (_subs, client) => {
  if (client?.id !== 'bench-service') subscribedAt.push(performance.now());
});
const tSpawn = performance.now();
const brokerCpu0 = cpuS();
const counts = splitEvenly(devices, Number(values.processes));
const children: JsonProcess[] = counts.map((count, k) =>
  spawnTs(join(import.meta.dirname, 'bare-clients.ts'), [
    '--url',
    url,
    '--count',
    String(count),
    '--prefix',
    `c${k}`,
  ]),
);
const line = (p: JsonProcess, type: string, after = 0) =>
  p.waitFor((ls) => ls.slice(after).find((l) => l.type === type), `${type} from a clients process`, 600_000);
const idle = await Promise.all(children.map((c) => line(c, 'idle')));
const ready = await Promise.all(children.map((c) => line(c, 'ready')));
const brokerCpu1 = cpuS();
const connectSpanS = (subscribedAt.at(-1)! - subscribedAt[0]!) / 1000;
const connectWithStartS = (subscribedAt.at(-1)! - tSpawn) / 1000;

const ids = counts.flatMap((count, k) => Array.from({ length: count }, (_, i) => `c${k}-${i}`));
const roundAllS = await round('all', ids);
const brokerCpu2 = cpuS();
const brokerKb = kb(process.memoryUsage().rss);
const seen = children.map((c) => c.lines.length);
for (const c of children) c.send({ cmd: 'rss' });
const rss = await Promise.all(children.map((c, i) => line(c, 'rss', seen[i])));
// A tenth, spread over the processes as a wipe of 10% spreads over the fleet.
const tenthIds = ids.filter((_, i) => i % 10 === 0);
const roundTenthS = await round('tenth', tenthIds);
const brokerCpu3 = cpuS();
const seenBeforeProtocol = children.map((c) => c.lines.length);
for (const c of children) c.send({ cmd: 'rss' });
const beforeProtocol = await Promise.all(children.map((c, i) => line(c, 'rss', seenBeforeProtocol[i])));
const roundProtocolS = await round('protocol', ids, { qos: 1 });
const brokerCpu4 = cpuS();
const seenAfterProtocol = children.map((c) => c.lines.length);
for (const c of children) c.send({ cmd: 'rss' });
const afterProtocol = await Promise.all(children.map((c, i) => line(c, 'rss', seenAfterProtocol[i])));
const brokerCpu5 = cpuS();
const roundProtocolQos0S = await round('protocol0', ids, { qos: 0 });
const brokerCpu6 = cpuS();
const seenAfterProtocol0 = children.map((c) => c.lines.length);
for (const c of children) c.send({ cmd: 'rss' });
const afterProtocol0 = await Promise.all(children.map((c, i) => line(c, 'rss', seenAfterProtocol0[i])));

const figures: BareFigures = {
  devices,
  connectSpanS,
  connectWithStartS,
  roundAllS,
  roundTenthS,
  roundProtocolS,
  roundProtocolQos0S,
  tenth: tenthIds.length,
  brokerIdleKb,
  brokerKb,
  clientsIdleKb: kb(sum(idle, 'rssBytes')),
  clientsKb: kb(sum(rss, 'rssBytes')),
  cpu: {
    // The clients' own start-up (loading mqtt.js) is left out, as it is before `idle`.
    connect: { brokerS: brokerCpu1 - brokerCpu0, clientsS: sum(ready, 'cpuS') - sum(idle, 'cpuS') },
    round: { brokerS: brokerCpu2 - brokerCpu1, clientsS: sum(rss, 'cpuS') - sum(ready, 'cpuS') },
    protocol: {
      brokerS: brokerCpu4 - brokerCpu3,
      clientsS: sum(afterProtocol, 'cpuS') - sum(beforeProtocol, 'cpuS'),
    },
    protocolQos0: {
      brokerS: brokerCpu6 - brokerCpu5,
      clientsS: sum(afterProtocol0, 'cpuS') - sum(afterProtocol, 'cpuS'),
    },
  },
};
process.stdout.write(`${JSON.stringify(figures)}\n`);
for (const c of children) c.send({ cmd: 'exit' });
await Promise.all(children.map((c) => c.exited));
await service.endAsync(true);
await new Promise<void>((resolve) => broker.close(() => resolve()));
server.close();
process.exit(0);
