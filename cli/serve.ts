import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createHttpApi } from '../broker/http/server.ts';
import { ownTls, selfSignedTls, type TlsMaterial } from '../broker/http/tls.ts';
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
}

export interface Serving {
  emulator: Emulator;
  /** The database file (or ':memory:') and whether this start created it or reopened it. */
  db: string;
  reopened: boolean;
  httpUrl: string;
  token: string;
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
    agentDb: db === ':memory:' ? null : join(dataDir, 'embedded-agents.db'),
    mqttPort: options.mqttPort,
    host: options.host,
  }).catch(listenFailed);
  if (options.fleet && emulator.runner.all().length === 0) await emulator.enroll(options.fleet.cohorts);
  const token = process.env.FLEETSIM_TOKEN || randomBytes(24).toString('base64url');
  let tls: TlsMaterial | null = null;
  if (options.tlsCert || options.tlsKey) {
    tls = ownTls(options.tlsCert!, options.tlsKey!);
  } else if (options.tls) tls = selfSignedTls(dataDir);
  const app = createHttpApi({
    service: emulator.service,
    control: emulator,
    log: emulator.log,
    admin: { token, userPrincipalName: options.adminUpn },
    now: () => emulator.clock.now(),
    tls,
  });
  await app.listen({ port: options.port, host: options.host }).catch(async (e) => {
    await emulator.close();
    await listenFailed(e);
  });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const httpUrl = `${tls ? 'https' : 'http'}://${options.host === '0.0.0.0' ? '127.0.0.1' : options.host}:${port}`;
  const closeSink = options.eventLog ? sinkEvents(emulator.log, options.eventLog) : null;
  return {
    emulator,
    db,
    reopened,
    httpUrl,
    token,
    async stop() {
      await app.close();
      await emulator.close();
      await closeSink?.();
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
  say(`  Graph API:         ${serving.httpUrl}/v1.0  and  ${serving.httpUrl}/beta`);
  say(`  control API:       ${serving.httpUrl}/sim   (OpenAPI: ${serving.httpUrl}/openapi.json)`);
  say(`  bearer token:      ${serving.token}${process.env.FLEETSIM_TOKEN ? '  (from FLEETSIM_TOKEN)' : ''}`);
  if ((serving as { certPath?: string }).certPath)
    say(`  TLS certificate:   ${(serving as { certPath?: string }).certPath}`);
  say(`  MQTT:              ${emulator.server.mqttUrl}`);
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
