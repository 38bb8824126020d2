import type { Duplex } from 'node:stream';
import { Aedes } from 'aedes';
import type { MqttClient } from 'mqtt';
import { createRng } from '../sim/prng.ts';
import { deviceUpTopic, SERVICE_SUBSCRIPTIONS } from '../sim/wire/topics.ts';
import { memoryConnector } from '../transport/connector.ts';
import { countFromHere } from './callgrind.ts';
import { mainThreadCpuUs } from './thread-cpu.ts';

/**
 * The floor under the month bench (issue 11): the broker and the client library by themselves, at
 * a fleet's size, on fleetsim's in-memory path. N mqtt.js clients over the same in-memory
 * connections (transport/connector.ts) into a plain aedes broker; one "service" client subscribed
 * as the service is. Round after round every client publishes one message of a check-in's size at
 * QoS 0 on its own `up` topic, the clients in a fresh random order each round (as a fleet's
 * schedules order its check-ins: each device's objects are cold when its turn comes), and the next
 * goes out once the service client has the last. No device model, service, virtual clock, event
 * log or store: what a check-in costs in the real components fleetsim's devices and service meet
 * through, which fleetsim cannot make cheaper and which a bigger fleet may make dearer (more of
 * each message's objects cold in memory). The month bench sets each size's check-in beside it.
 */

export interface FloorFigures {
  devices: number;
  /** Rounds timed, after `warmUpRounds` untimed. */
  rounds: number;
  warmUpRounds: number;
  /** Messages timed: every round after the warm-up ones. */
  messages: number;
  /** Messages the service client received, the warm-up's too: every one sent. */
  delivered: number;
  /** Process CPU per message over the timed rounds, µs (all threads). */
  cpuUsPerMessage: number;
  /** The main thread's own, µs (Linux), or null. */
  mainUsPerMessage: number | null;
  /** Main-thread GC pauses per message over the timed rounds, µs. */
  gcUsPerMessage: number;
  /** Wall seconds to connect the fleet. */
  connectS: number;
  peakRssKbPerDevice: number;
}

/**
 * Rounds before the timed ones, two at least and 50,000 messages: V8 compiles the path, and the
 * connections' garbage is collected. Counted at 10,000 clients after only two, the one timed round
 * still held full collections: all threads' instructions per message were twice the main thread's.
 */
export const warmUpRounds = (devices: number): number => Math.max(2, Math.ceil(50_000 / devices));

/**
 * Timed rounds for a fleet of `devices` unless told: enough for ~300,000 messages (~10 s; three at
 * least), or under callgrind, which runs some 80 times slower, for ~10,000 (one at least).
 */
export function floorRounds(devices: number, counted: boolean): number {
  return Math.max(counted ? 1 : 3, Math.ceil((counted ? 10_000 : 300_000) / devices));
}

/** A floor run's figures in a line. */
export function describeFloor(f: FloorFigures): string {
  return `the floor, aedes and mqtt.js alone on the same in-memory path (${f.devices} clients, ${f.messages} messages timed over ${f.rounds} rounds after ${f.warmUpRounds} untimed): ${f.cpuUsPerMessage} µs CPU per message, the main thread's own ${f.mainUsPerMessage ?? '?'} µs, GC pauses ${f.gcUsPerMessage} µs; ${f.connectS} s to connect; peak RSS ${f.peakRssKbPerDevice} KB/client`;
}

/**
 * A check-in's size on the wire: its envelope and the facts of a device with a few policies and
 * apps, 364 bytes of JSON. Fleetsim's generated devices, 20 of each platform, check in with 286 to
 * 451 bytes, 357 the median.
 */
const PAYLOAD = JSON.stringify({
  v: 1,
  seq: 1234,
  sentAtMs: 1_790_000_000_000,
  type: 'checkIn',
  reason: 'schedule',
  facts: {
    enrolled: true,
    boot: 'normal',
    policyIds: ['policy-0001-compliance', 'policy-0002-wifi-corp', 'policy-0003-vpn-corp'],
    apps: 6,
    appKinds: ['lineOfBusiness', 'managedStore', 'system'],
    certificatesInstalled: 2,
    azureAd: 'joined',
    accounts: 1,
    userFiles: 12,
    workProfile: false,
  },
});

const QOS0 = { qos: 0 as const, retain: false };

/** One floor run in this process. */
export async function floorRun(
  devices: number,
  rounds: number,
  warmUp = warmUpRounds(devices),
): Promise<FloorFigures> {
  if (!(Number.isInteger(rounds) && rounds >= 1 && Number.isInteger(warmUp) && warmUp >= 0))
    throw new RangeError(`floorRun: rounds (${rounds}) must be 1 or more, warmUp (${warmUp}) 0 or more`);
  // As fleetsim's broker is made (broker/mqtt/broker.ts), without its checks of who may say what.
  const broker = new Aedes({ concurrency: 0 });
  await broker.listen();
  const connect = memoryConnector((stream: Duplex) => broker.handle(stream));
  const service = await connect({ clientId: 'floor-service', username: '', password: '', reconnect: false });
  await service.subscribeAsync([...SERVICE_SUBSCRIPTIONS], { qos: 0 });
  let arrived: (() => void) | null = null;
  let delivered = 0;
  service.on('message', () => {
    delivered++;
    const next = arrived;
    arrived = null;
    next?.();
  });
  const wall0 = performance.now();
  const ids = Array.from({ length: devices }, (_, i) => `floor-${String(i).padStart(6, '0')}`);
  const clients: MqttClient[] = await Promise.all(
    ids.map((id) => connect({ clientId: id, username: id, password: 'secret', reconnect: false })),
  );
  const connectS = (performance.now() - wall0) / 1000;
  const topics = ids.map(deviceUpTopic);
  const rng = createRng('month-floor');
  const order = Array.from({ length: devices }, (_, i) => i);
  let gcUs = 0;
  const gcWatch = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcUs += e.duration * 1000;
  });
  gcWatch.observe({ entryTypes: ['gc'] });
  let from: { cpu: NodeJS.CpuUsage; main: number | null; gc: number } | null = null;
  for (let round = 0; round < warmUp + rounds; round++) {
    if (round === warmUp) {
      countFromHere(true);
      from = { cpu: process.cpuUsage(), main: mainThreadCpuUs(), gc: gcUs };
    }
    // Fisher–Yates with the seeded stream: the same order every run.
    for (let i = order.length - 1; i > 0; i--) {
      const j = rng.int(0, i);
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (const i of order) {
      const got = new Promise<void>((resolve) => {
        arrived = resolve;
      });
      clients[i]!.publish(topics[i]!, PAYLOAD, QOS0);
      await got;
    }
  }
  countFromHere(false);
  const cpu = process.cpuUsage(from!.cpu);
  const main = mainThreadCpuUs();
  const gc = gcUs - from!.gc;
  gcWatch.disconnect();
  const messages = devices * rounds;
  const figures: FloorFigures = {
    devices,
    rounds,
    warmUpRounds: warmUp,
    messages,
    delivered,
    cpuUsPerMessage: round1((cpu.user + cpu.system) / messages),
    mainUsPerMessage: main !== null && from!.main !== null ? round1((main - from!.main) / messages) : null,
    gcUsPerMessage: round1(gc / messages),
    connectS: round1(connectS),
    peakRssKbPerDevice: Math.round(process.resourceUsage().maxRSS / devices),
  };
  for (const c of clients) c.end(true);
  service.end(true);
  await new Promise<void>((resolve) => broker.close(() => resolve()));
  return figures;
}

const round1 = (x: number) => Math.round(x * 10) / 10;
