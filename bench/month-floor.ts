import type { Duplex } from 'node:stream';
// Before aedes loads, as broker/mqtt/broker.ts does: the quiet `debug` and the parser's patches.
import '../transport/quiet-debug.ts';
import '../transport/young-packets.ts';
import '../transport/no-number-cache.ts';
import '../transport/parser-buffer-list.ts';
import { Aedes, type AedesPublishPacket } from 'aedes';
import type { MqttClient } from 'mqtt';
import { createRng } from '../sim/prng.ts';
import { deviceUpTopic, SERVICE_SUBSCRIPTIONS } from '../sim/wire/topics.ts';
import { memoryConnector } from '../transport/connector.ts';
import { countFromHere, underCallgrind } from './callgrind.ts';
import { mainThreadCpuUs } from './thread-cpu.ts';

/**
 * The floor under the month bench (issue 11): the broker and the client library by themselves, at
 * a fleet's size, on fleetsim's in-memory path. N mqtt.js clients over the same in-memory
 * connections (transport/connector.ts) into a plain aedes broker, made as fleetsim's is; the
 * "service" subscribes inside the broker, with no connection, as fleetsim's does
 * (FleetBroker.subscribeService). Round after round every client publishes one message of a
 * check-in's size at QoS 0 on its own `up` topic, the clients in a fresh random order each round
 * (as a fleet's schedules order its check-ins: each device's objects are cold when its turn
 * comes), and the next goes out once the service has the last. No device model, service logic,
 * virtual clock, event log, store or broker checks: what a check-in's message costs in the real
 * components fleetsim's devices and service meet through, which a bigger fleet may make dearer
 * (more of each message's objects cold in memory). The month bench sets each size's check-in
 * beside it.
 */

export interface FloorFigures {
  devices: number;
  /** Rounds timed, after `warmUpRounds` untimed. */
  rounds: number;
  warmUpRounds: number;
  /** Messages timed: every round after the warm-up ones. */
  messages: number;
  /** Messages the service received, the warm-up's too: every one sent. */
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

/** A floor run's figures in a line; its times only when `timed` (under valgrind they mean nothing). */
export function describeFloor(f: FloorFigures, timed: boolean): string {
  const head = `the floor, aedes and mqtt.js alone on the same in-memory path (${f.devices} clients, ${f.messages} messages ${timed ? 'timed' : 'counted'} over ${f.rounds} rounds after ${f.warmUpRounds} ${timed ? 'untimed' : 'uncounted'})`;
  return timed
    ? `${head}: ${f.cpuUsPerMessage} µs CPU per message, the main thread's own ${f.mainUsPerMessage ?? '?'} µs, GC pauses ${f.gcUsPerMessage} µs; ${f.connectS} s to connect; peak RSS ${f.peakRssKbPerDevice} KB/client`
    : head;
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

/**
 * Wall time without a message arriving after which a floor run gives up, naming the client. Under
 * valgrind one full collection of a 50,000-client heap may take most of a minute: ten, there.
 */
const stallMs = (): number => (underCallgrind() ? 600_000 : 30_000);

/** One floor run in this process. */
export async function floorRun(
  devices: number,
  rounds: number,
  options: {
    warmUp?: number;
    /** Each message's topic as the service gets it (tests; it costs the run nothing without). */
    onDelivered?: (topic: string) => void;
  } = {},
): Promise<FloorFigures> {
  const { warmUp = warmUpRounds(devices), onDelivered } = options;
  if (!(Number.isInteger(rounds) && rounds >= 1 && Number.isInteger(warmUp) && warmUp >= 0))
    throw new RangeError(`floorRun: rounds (${rounds}) must be 1 or more, warmUp (${warmUp}) 0 or more`);
  // As fleetsim's broker is made (broker/mqtt/broker.ts), without its checks of who may say what.
  const broker = new Aedes({ concurrency: 0 });
  const clients: MqttClient[] = [];
  const pauses: GcPause[] = [];
  const gcWatch = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) pauses.push({ startMs: e.startTime, us: e.duration * 1000 });
  });
  let watchdog: NodeJS.Timeout | undefined;
  try {
    await broker.listen();
    const ids = Array.from({ length: devices }, (_, i) => `floor-${String(i).padStart(6, '0')}`);
    const topics = ids.map(deviceUpTopic);
    let delivered = 0;
    let arrived: (() => void) | null = null;
    for (const topic of SERVICE_SUBSCRIPTIONS)
      await new Promise<void>((resolve, reject) =>
        broker.subscribe(
          topic,
          (packet: AedesPublishPacket, callback: () => void) => {
            delivered++;
            onDelivered?.(packet.topic);
            const next = arrived;
            arrived = null;
            next?.();
            callback();
          },
          (error?: Error) => (error ? reject(error) : resolve()),
        ),
      );
    const connect = memoryConnector((stream: Duplex) => broker.handle(stream));
    const wall0 = performance.now();
    clients.push(
      ...(await Promise.all(
        ids.map((id) => connect({ clientId: id, username: id, password: 'secret', reconnect: false })),
      )),
    );
    const connectS = (performance.now() - wall0) / 1000;
    const rng = createRng('month-floor');
    const order = Array.from({ length: devices }, (_, i) => i);
    gcWatch.observe({ entryTypes: ['gc'] });
    // A message that never arrives would leave the loop waiting for ever: checked now and then, not
    // with a timer a message, which the figures would count.
    let stalled: ((error: Error) => void) | null = null;
    let seen = -1;
    let waitingFor = 0;
    let round = 0;
    const stall = stallMs();
    watchdog = setInterval(() => {
      if (delivered === seen)
        stalled?.(
          new Error(
            `floorRun: no message arrived in ${stall / 1000} s, waiting for ${ids[waitingFor]}'s in round ${round + 1}`,
          ),
        );
      seen = delivered;
    }, stall);
    let from: { cpu: NodeJS.CpuUsage; main: number | null; atMs: number } | null = null;
    for (; round < warmUp + rounds; round++) {
      if (round === warmUp) {
        countFromHere(true);
        from = { cpu: process.cpuUsage(), main: mainThreadCpuUs(), atMs: performance.now() };
      }
      // Fisher–Yates with the seeded stream: the same order every run.
      for (let i = order.length - 1; i > 0; i--) {
        const j = rng.int(0, i);
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      for (const i of order) {
        const got = new Promise<void>((resolve, reject) => {
          arrived = resolve;
          stalled = reject;
        });
        waitingFor = i;
        clients[i]!.publish(topics[i]!, PAYLOAD, QOS0);
        await got;
      }
    }
    countFromHere(false);
    const cpu = process.cpuUsage(from!.cpu);
    const main = mainThreadCpuUs();
    const untilMs = performance.now();
    await observerTurn();
    // Any entry a later node still holds back after those turns.
    for (const e of gcWatch.takeRecords()) pauses.push({ startMs: e.startTime, us: e.duration * 1000 });
    const messages = devices * rounds;
    return {
      devices,
      rounds,
      warmUpRounds: warmUp,
      messages,
      delivered,
      cpuUsPerMessage: round1((cpu.user + cpu.system) / messages),
      mainUsPerMessage: main !== null && from!.main !== null ? round1((main - from!.main) / messages) : null,
      gcUsPerMessage: round1(pausesWithin(pauses, from!.atMs, untilMs) / messages),
      connectS: round1(connectS),
      peakRssKbPerDevice: Math.round(process.resourceUsage().maxRSS / devices),
    };
  } finally {
    clearInterval(watchdog);
    gcWatch.disconnect();
    for (const c of clients) c.end(true);
    await new Promise<void>((resolve) => broker.close(() => resolve()));
  }
}

/** One main-thread GC pause: when it began (performance.now()) and how long it took. */
export interface GcPause {
  startMs: number;
  us: number;
}

/** µs of the pauses that began in [fromMs, untilMs). */
export const pausesWithin = (pauses: readonly GcPause[], fromMs: number, untilMs: number): number =>
  pauses.reduce((sum, p) => (p.startMs >= fromMs && p.startMs < untilMs ? sum + p.us : sum), 0);

/**
 * Node hands gc entries to observers in an immediate, and a floor's rounds never give the event
 * loop a turn (each message is delivered in ticks and microtasks): until this, a run had every
 * pause of its rounds still undelivered, and reported none.
 */
async function observerTurn(): Promise<void> {
  for (let i = 0; i < 2; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

const round1 = (x: number) => Math.round(x * 10) / 10;
