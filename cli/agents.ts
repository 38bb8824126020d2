import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { CohortSpec } from '../agent/fleet/cohort.ts';
import { AgentStore } from '../agent/runtime/agent-store.ts';
import { FleetRunner } from '../agent/runtime/fleet-runner.ts';
import { lockDatabase } from '../broker/store/db-lock.ts';
import { ScaledClock } from '../sim/clock/scaled-clock.ts';
import { EventLog } from '../sim/events.ts';
import { clockSchema, decode } from '../sim/wire/schemas.ts';
import { CLOCK_TOPIC } from '../sim/wire/topics.ts';
import { tcpConnector } from '../transport/connector.ts';
import { sinkEvents } from './event-sink.ts';

export interface AgentsOptions {
  broker: string;
  enrollmentToken: string;
  fleet?: { seed?: string; cohorts: CohortSpec[] };
  seed: string;
  db: string;
  eventLog?: string;
}

/** Reads the service's retained clock anchor, so this process keeps the same sim time. */
async function readServiceClock(broker: string, enrollmentToken: string): Promise<ScaledClock> {
  const client = await tcpConnector(broker)({
    clientId: `enroll-clock-${process.pid}`,
    username: 'enroll',
    password: enrollmentToken,
    reconnect: false,
  });
  try {
    const message = await new Promise<ReturnType<typeof decode<typeof clockSchema._output>>>(
      (resolvePromise, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no clock on ${CLOCK_TOPIC} from ${broker} within 10 s`)),
          10_000,
        );
        client.on('message', (topic, payload) => {
          clearTimeout(timer);
          try {
            resolvePromise(decode(clockSchema, topic, payload));
          } catch (e) {
            reject(e);
          }
        });
        client.subscribe(CLOCK_TOPIC, { qos: 1 });
      },
    );
    return new ScaledClock({
      simOriginMs: message.simOriginMs,
      wallOriginMs: message.wallOriginMs,
      speed: message.speed,
    });
  } finally {
    await client.endAsync();
  }
}

/** `fleetsim agents`: a fleet of device agents against a broker elsewhere. */
export async function agents(options: AgentsOptions): Promise<void> {
  const clock = await readServiceClock(options.broker, options.enrollmentToken);
  const log = new EventLog(() => clock.now());
  const closeSink = options.eventLog ? sinkEvents(log, options.eventLog) : null;
  const dbPath = resolve(options.db);
  mkdirSync(dirname(dbPath), { recursive: true });
  const lock = lockDatabase(dbPath, 'fleetsim agents'); // one writer per database
  const store = new AgentStore(dbPath);
  const runner = new FleetRunner({
    clock,
    connector: tcpConnector(options.broker),
    enrollmentToken: options.enrollmentToken,
    log,
    tracker: null,
    store,
    reconnect: true,
    seed: options.fleet?.seed ?? options.seed,
    onClock: (m) => {
      const a = clock.anchor;
      if (m.simOriginMs !== a.simOriginMs || m.wallOriginMs !== a.wallOriginMs || m.speed !== a.speed) {
        clock.setAnchor({ simOriginMs: m.simOriginMs, wallOriginMs: m.wallOriginMs, speed: m.speed });
      }
    },
  });
  const restored = runner.restore();
  if (restored.length === 0) {
    if (!options.fleet) throw new Error(`${dbPath} holds no devices: give --fleet to create some`);
    runner.addFleet({ cohorts: options.fleet.cohorts });
  }
  // Handlers first: a Ctrl-C right after the banner must already find them.
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    clock.dispose(); // no more timers: nothing runs against stores that are closing
    await runner.stop();
    store.close();
    lock.release();
    await closeSink?.();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);

  process.stderr.write(
    `fleetsim agents: ${runner.all().length} devices (${restored.length > 0 ? 'restored from' : 'kept in'} ${dbPath}) → ${options.broker}\n`,
  );
}
