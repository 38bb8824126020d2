import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { CohortSpec } from '../agent/fleet/cohort.ts';
import { AgentStore } from '../agent/runtime/agent-store.ts';
import { FleetRunner } from '../agent/runtime/fleet-runner.ts';
import { startServer } from '../broker/server.ts';
import { ScaledClock } from '../sim/clock/scaled-clock.ts';
import { memoryConnector } from '../transport/connector.ts';
import { sinkEvents } from './event-sink.ts';

export interface ServeOptions {
  mqttPort: number;
  host: string;
  speed: number;
  seed: string;
  db: string;
  dataDir: string;
  fleet?: { seed?: string; cohorts: CohortSpec[] };
  eventLog?: string;
}

/** `fleetsim serve`: the service and its embedded broker, optionally with an embedded fleet. */
export async function serve(options: ServeOptions): Promise<void> {
  const db = options.db === ':memory:' ? ':memory:' : resolve(options.db);
  if (db !== ':memory:') mkdirSync(dirname(db), { recursive: true });
  const clock = ScaledClock.startingAt(Date.now(), options.speed);
  const server = await startServer({
    clock,
    seed: options.seed,
    db,
    mqttPort: options.mqttPort,
    host: options.host,
  });
  const closeSink = options.eventLog ? sinkEvents(server.log, options.eventLog) : null;

  let runner: FleetRunner | null = null;
  let agentStore: AgentStore | null = null;
  if (options.fleet) {
    if (db !== ':memory:') mkdirSync(resolve(options.dataDir), { recursive: true });
    agentStore = db === ':memory:' ? null : new AgentStore(resolve(options.dataDir, 'embedded-agents.db'));
    runner = new FleetRunner({
      clock,
      connector: memoryConnector((s) => server.broker.handle(s)),
      enrollmentToken: server.enrollmentToken,
      log: server.log,
      tracker: null,
      store: agentStore,
      reconnect: false,
      seed: options.fleet.seed ?? options.seed,
    });
    if (runner.restore().length === 0) runner.addFleet({ cohorts: options.fleet.cohorts });
  }

  // Handlers first: a Ctrl-C right after the banner must already find them.
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    clock.dispose(); // no more timers: nothing runs against stores that are closing
    await runner?.stop();
    agentStore?.close();
    await server.close();
    await closeSink?.();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);

  const say = (line: string) => process.stderr.write(`${line}\n`);
  say('fleetsim service running');
  say(`  MQTT:              ${server.mqttUrl}`);
  say(`  enrollment token:  ${server.enrollmentToken}`);
  say(`  clock:             scaled ×${clock.speed}, sim time ${new Date(clock.now()).toISOString()}`);
  say(`  database:          ${db}`);
  if (runner) say(`  embedded fleet:    ${runner.all().length} devices`);
  say('  Ctrl-C stops it; state is kept in the database.');
}
