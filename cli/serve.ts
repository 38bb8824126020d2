import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { dashboardCode } from '../broker/http/dashboard-session.ts';
import { createHttpApi } from '../broker/http/server.ts';
import { ownTls, selfSignedTls, type TlsMaterial } from '../broker/http/tls.ts';
import { createFleetMetrics } from '../broker/metrics/fleet-metrics.ts';
import { cryptoSecrets } from '../broker/secrets.ts';
import { lockDatabase } from '../broker/store/db-lock.ts';
import { Emulator } from '../emulator/emulator.ts';
import type { CohortSpec } from '../sim/cohort.ts';
import { CliError } from './errors.ts';
import { sinkEvents } from './event-sink.ts';
import { explainListenError } from './port-in-use.ts';

export interface ServeOptions {
  port: number;
  mqttPort: number;
  host: string;
  clock: 'virtual' | 'scaled';
  speed: number;
  seed: string;
  /** The service's database; default `<dataDir>/fleetsim.db`, so the data dir owns every file. */
  db?: string;
  dataDir: string;
  fleet?: { seed?: string; cohorts: CohortSpec[] };
  eventLog?: string;
  tls?: boolean;
  tlsCert?: string;
  tlsKey?: string;
  adminUpn: string;
  /** The base URL clients use (behind a proxy, say); `@odata.nextLink` is built on it. */
  publicUrl?: string;
  /** Also serve MQTT over TLS (mqtts) on this port, with the HTTPS certificate. */
  mqttsPort?: number;
  /** The scenario files the dashboard may run (default: the library in scenarios/). */
  scenarioDir?: string;
}

export interface Serving {
  emulator: Emulator;
  /** The database file (or ':memory:') and whether this start created it or reopened it. */
  db: string;
  reopened: boolean;
  httpUrl: string;
  token: string;
  /** mqtts://host:port with --mqtts-port, else null. */
  mqttsUrl: string | null;
  stop(): Promise<void>;
}

/** Starts the emulator with its HTTP API; used by `serve` and `demo`. */
export async function startServing(options: ServeOptions): Promise<Serving> {
  if (Boolean(options.tlsCert) !== Boolean(options.tlsKey))
    throw new CliError('--tls-cert and --tls-key go together: give both');
  const dataDir = resolve(options.dataDir);
  const db = options.db === ':memory:' ? ':memory:' : resolve(options.db ?? join(dataDir, 'fleetsim.db'));
  const reopened = db !== ':memory:' && existsSync(db);
  if (db !== ':memory:') mkdirSync(dirname(db), { recursive: true });
  if (db !== ':memory:') mkdirSync(dataDir, { recursive: true });
  const agentDb = db === ':memory:' ? null : join(dataDir, 'embedded-agents.db');
  // One writer per database: a second process on the same files refuses here, naming the holder.
  const locks = [lockDatabase(db, 'fleetsim serve')];
  const releaseLocks = () => {
    for (const lock of locks) lock.release();
  };
  try {
    if (agentDb) locks.push(lockDatabase(agentDb, 'fleetsim serve (embedded agents)'));
    return await startLocked(options, { db, reopened, agentDb, dataDir }, releaseLocks);
  } catch (e) {
    releaseLocks();
    throw e;
  }
}

async function startLocked(
  options: ServeOptions,
  files: { db: string; reopened: boolean; agentDb: string | null; dataDir: string },
  releaseLocks: () => void,
): Promise<Serving> {
  const { db, reopened, agentDb, dataDir } = files;
  const ports = [
    { flag: '--port', port: options.port },
    { flag: '--mqtt-port', port: options.mqttPort },
  ];
  const listenFailed = async (e: unknown) => {
    throw await explainListenError(e, options.host, ports);
  };
  const emulator = await Emulator.start({
    clock: options.clock,
    speed: options.speed,
    seed: options.fleet?.seed ?? options.seed,
    db,
    agentDb,
    mqttPort: options.mqttPort,
    host: options.host,
  }).catch(listenFailed);
  // The sink first: the embedded fleet's enrollment is part of the log.
  const closeSink = options.eventLog ? sinkEvents(emulator.log, options.eventLog) : null;
  // Metrics too: they are derived from the log, the registry and the broker's events.
  const metrics = createFleetMetrics(emulator.log, {
    service: () => emulator.service,
    broker: () => emulator.server.broker,
    now: () => emulator.clock.now(),
  });
  if (options.fleet && emulator.runner.all().length === 0) await emulator.enroll(options.fleet.cohorts);
  // The service's own kind of token: hex, never read as an option on a command line.
  const token = process.env.FLEETSIM_TOKEN || cryptoSecrets.newToken();
  let tls: TlsMaterial | null = null;
  if (options.tlsCert || options.tlsKey) {
    tls = ownTls(options.tlsCert!, options.tlsKey!);
  } else if (options.tls) tls = selfSignedTls(dataDir);
  if (options.mqttsPort !== undefined && !tls)
    throw new CliError('--mqtts-port needs --tls (or --tls-cert and --tls-key)');
  const app = createHttpApi({
    service: emulator.service,
    control: emulator,
    log: emulator.log,
    admin: { token, userPrincipalName: options.adminUpn },
    now: () => emulator.clock.now(),
    tls,
    ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}),
    brokerStats: () => emulator.server.broker.stats,
    ...(options.scenarioDir ? { scenarioDir: options.scenarioDir } : {}),
    metrics,
  });
  let mqttsPort: number | null = null;
  try {
    if (options.mqttsPort !== undefined && tls)
      mqttsPort = await emulator.server.broker.listen(options.mqttsPort, options.host, tls);
    await app.listen({ port: options.port, host: options.host });
  } catch (e) {
    metrics.close();
    await emulator.close(); // its MQTT port and stores, so a caller may retry on another port
    await listenFailed(e);
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const httpUrl = `${tls ? 'https' : 'http'}://${options.host === '0.0.0.0' ? '127.0.0.1' : options.host}:${port}`;
  return {
    emulator,
    db,
    reopened,
    httpUrl,
    token,
    mqttsUrl:
      mqttsPort === null
        ? null
        : `mqtts://${options.host === '0.0.0.0' ? '127.0.0.1' : options.host}:${mqttsPort}`,
    async stop() {
      await app.close();
      metrics.close();
      await emulator.close();
      await closeSink?.();
      releaseLocks();
    },
    ...(tls ? { certPath: tls.certPath } : {}),
  };
}

/** `fleetsim serve`: the service, its broker and HTTP APIs, optionally with an embedded fleet. */
export async function serve(options: ServeOptions): Promise<void> {
  const serving = await startServing(options);
  // Handlers first: a Ctrl-C right after the banner must already find them.
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await serving.stop();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);

  const { emulator } = serving;
  const clock = emulator.clockInfo();
  const say = (line: string) => process.stderr.write(`${line}\n`);
  say('fleetsim service running');
  // The dashboard first, as the demo prints it: the one-time sign-in code rides in the fragment,
  // which browsers never send to a server, so the token stays out of every log.
  say(`  dashboard:         ${serving.httpUrl}/dashboard/#code=${dashboardCode(serving.token)}`);
  say(`  Graph API:         ${serving.httpUrl}/v1.0  and  ${serving.httpUrl}/beta`);
  say(`  control API:       ${serving.httpUrl}/sim   (OpenAPI: ${serving.httpUrl}/openapi.json)`);
  say(`  bearer token:      ${serving.token}${process.env.FLEETSIM_TOKEN ? '  (from FLEETSIM_TOKEN)' : ''}`);
  if ((serving as { certPath?: string }).certPath)
    say(`  TLS certificate:   ${(serving as { certPath?: string }).certPath}`);
  say(`  MQTT:              ${emulator.server.mqttUrl}`);
  if (serving.mqttsUrl)
    say(`  MQTT over TLS:     ${serving.mqttsUrl}  (agents trust the certificate with NODE_EXTRA_CA_CERTS)`);
  say(`  enrollment token:  ${emulator.server.enrollmentToken}`);
  say(
    clock.mode === 'scaled'
      ? `  clock:             scaled ×${clock.speed}, sim time ${new Date(clock.nowMs).toISOString()}`
      : `  clock:             virtual at ${new Date(clock.nowMs).toISOString()}; it moves only when POST /sim/clock/advance moves it`,
  );
  say(
    serving.db === ':memory:'
      ? '  database:          :memory: (new; nothing is kept)'
      : `  database:          ${serving.db} (${serving.reopened ? `reopened: ${emulator.service.listDevices().length} managed devices from an earlier run` : 'created: a new fleet'})`,
  );
  if (emulator.runner.all().length > 0) say(`  embedded fleet:    ${emulator.runner.all().length} devices`);
  say('  Ctrl-C stops it; state is kept in the database.');
}
