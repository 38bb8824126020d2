import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CohortSpec } from '../agent/fleet/cohort.ts';
import { AgentStore } from '../agent/runtime/agent-store.ts';
import { isRefusal } from '../agent/runtime/device-link.ts';
import { FleetRunner } from '../agent/runtime/fleet-runner.ts';
import { DatabaseLockedError, lockDatabase } from '../broker/store/db-lock.ts';
import { ScaledClock } from '../sim/clock/scaled-clock.ts';
import { EventLog } from '../sim/events.ts';
import { createRng } from '../sim/prng.ts';
import { type ClockMessage, clockSchema, decode } from '../sim/wire/schemas.ts';
import { CLOCK_TOPIC } from '../sim/wire/topics.ts';
import { tcpConnector } from '../transport/connector.ts';
import { backoffDelayMs } from '../transport/delivery/backoff.ts';
import { countFleet, progressLine, summary, trackRetryReasons } from './agents-progress.ts';
import { CliError } from './errors.ts';
import { sinkEvents } from './event-sink.ts';
import { fleetSeedOf } from './fleet-seed.ts';
import { progressBar } from './progress-bar.ts';

export interface AgentsOptions {
  broker: string;
  enrollmentToken: string;
  fleet?: { seed?: string; cohorts: CohortSpec[] };
  /** Default: the seed kept in the database, or a new random one (see fleet-seed.ts). */
  seed?: string;
  /** Default: `<dataDir>/agents.db`, or the next `agents-<n>.db` when another process runs that one. */
  db?: string;
  dataDir: string;
  eventLog?: string;
  /** Seconds between progress lines when stderr is not a terminal (0: none). */
  progressEvery?: number;
}

/** The service publishes its clock retained: this long without it means something is wrong. */
const CLOCK_WAIT_MS = 10_000;
/** How often to say that the broker is still not there. */
const WAITING_NOTICE_EVERY_MS = 5_000;

export class AgentsError extends CliError {}

/** How many default databases to try (agents.db, agents-2.db, …) before asking for --db. */
const DEFAULT_DB_SLOTS = 100;

/**
 * The database this process runs, locked for it. Given with --db it is that one or a clear
 * refusal; by default the first of agents.db, agents-2.db, … that no other process runs, so a
 * second `fleetsim agents` started alike runs its own devices instead of the first one's.
 */
function claimDatabase(options: AgentsOptions): { dbPath: string; release(): void } {
  const explicit = options.db !== undefined;
  const candidates = explicit
    ? [resolve(options.db!)]
    : Array.from({ length: DEFAULT_DB_SLOTS }, (_, i) =>
        join(resolve(options.dataDir), i === 0 ? 'agents.db' : `agents-${i + 1}.db`),
      );
  let heldBy = 0;
  for (const dbPath of candidates) {
    mkdirSync(dirname(dbPath), { recursive: true });
    try {
      // One writer per database (broker/store/db-lock.ts): the OS drops the lock even on kill -9.
      const lock = lockDatabase(dbPath, 'fleetsim agents');
      if (dbPath !== candidates[0])
        process.stderr.write(
          `fleetsim agents: ${candidates[0]} is run by another process; this one keeps its devices in ${dbPath}\n`,
        );
      return { dbPath, release: lock.release };
    } catch (e) {
      if (!(e instanceof DatabaseLockedError)) throw e;
      heldBy = e.holder?.pid ?? 0;
    }
  }
  throw new AgentsError(
    explicit
      ? `${candidates[0]} is in use by another fleetsim agents (pid ${heldBy}): give this one its own --db, or stop that one first`
      : `every default database in ${resolve(options.dataDir)} is in use: give --db or --data-dir`,
    'environment',
  );
}

/** Reads the service's retained clock anchor once, so this process keeps the same sim time. */
async function readServiceClockOnce(broker: string, enrollmentToken: string): Promise<ClockMessage> {
  const client = await tcpConnector(broker)({
    clientId: `enroll-clock-${process.pid}`,
    username: 'enroll',
    password: enrollmentToken,
    reconnect: false,
  });
  try {
    return await new Promise<ClockMessage>((resolvePromise, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no clock on ${CLOCK_TOPIC} from ${broker} within 10 s`)),
        CLOCK_WAIT_MS,
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
    });
  } finally {
    await client.endAsync();
  }
}

/**
 * Waits for the service's broker, retrying with backoff and saying so now and then: `agents`
 * started before `serve`, or while it restarts, waits for it. Refused credentials end the wait.
 */
export async function waitForServiceClock(broker: string, enrollmentToken: string): Promise<ScaledClock> {
  const rng = createRng(`agents/${process.pid}`);
  let lastNotice = 0;
  for (let attempt = 0; ; attempt++) {
    try {
      const m = await readServiceClockOnce(broker, enrollmentToken);
      if (m.mode === 'virtual') {
        // A virtual clock moves only inside its own process (design.md, Time): nothing to follow from here.
        throw new AgentsError(
          `the service at ${broker} runs on the virtual clock, which devices in another process cannot follow: start it with --clock scaled`,
        );
      }
      if (attempt > 0) process.stderr.write(`fleetsim agents: the broker at ${broker} is up\n`);
      return new ScaledClock({ simOriginMs: m.simOriginMs, wallOriginMs: m.wallOriginMs, speed: m.speed });
    } catch (e) {
      if (e instanceof AgentsError) throw e;
      if (isRefusal(e)) {
        throw new AgentsError(
          `the broker at ${broker} refused the enrollment token: pass the one fleetsim serve printed with --enrollment-token`,
          'environment',
        );
      }
      if (Date.now() - lastNotice >= WAITING_NOTICE_EVERY_MS) {
        lastNotice = Date.now();
        process.stderr.write(
          `fleetsim agents: waiting for the broker at ${broker} (${(e as Error).message}); retrying\n`,
        );
      }
      await sleep(backoffDelayMs(attempt, rng, { baseMs: 250, capMs: 5_000 }));
    }
  }
}

/** `fleetsim agents`: a fleet of device agents against a broker elsewhere. */
export async function agents(options: AgentsOptions): Promise<void> {
  const { dbPath, release } = claimDatabase(options);
  const seed = options.fleet?.seed
    ? { seed: options.fleet.seed, source: 'from the fleet file' }
    : fleetSeedOf(dbPath, options.seed);
  // Always a scaled clock here (waitForServiceClock refuses a virtual one): saves commit per turn.
  const store = new AgentStore(dbPath, { groupCommit: true });
  const clock = await waitForServiceClock(options.broker, options.enrollmentToken);
  const log = new EventLog(() => clock.now());
  const closeSink = options.eventLog ? sinkEvents(log, options.eventLog) : null;
  const reasons = trackRetryReasons(log);
  const runner = new FleetRunner({
    clock,
    connector: tcpConnector(options.broker),
    enrollmentToken: options.enrollmentToken,
    log,
    tracker: null,
    store,
    reconnect: true,
    seed: seed.seed,
    onClock: (m) => {
      const a = clock.anchor;
      if (m.simOriginMs !== a.simOriginMs || m.wallOriginMs !== a.wallOriginMs || m.speed !== a.speed) {
        clock.setAnchor({ simOriginMs: m.simOriginMs, wallOriginMs: m.wallOriginMs, speed: m.speed });
      }
    },
  });
  const restored = runner.restore();
  if (restored.length === 0 && !options.fleet)
    throw new AgentsError(`${dbPath} holds no devices: give --fleet to create some`);
  // The fleet file names the whole fleet: devices a crash kept from being stored are made now
  // (the same seed makes the same devices), those restored are left as they are.
  if (options.fleet) runner.addFleet({ cohorts: options.fleet.cohorts });
  // Progress: on a terminal a bar redrawn in place every second; otherwise a line whenever the
  // counts change, at most every few seconds (never silent, never chatty).
  const onTerminal = process.stderr.isTTY === true;
  let lastLine = '';
  const every = onTerminal ? 1000 : (options.progressEvery ?? 5) * 1000;
  const progress =
    every > 0
      ? setInterval(() => {
          const counts = countFleet(runner.all());
          const line = progressLine(counts);
          if (onTerminal)
            process.stderr.write(
              `\r\x1b[2K${progressBar(counts.enrolled, counts.devices)} ${line.replace(/^fleetsim agents: /, '')}`,
            );
          else if (line !== lastLine) process.stderr.write(`${line}\n`);
          lastLine = line;
        }, every)
      : null;
  // Handlers first: a Ctrl-C right after the banner must already find them.
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    if (progress) clearInterval(progress);
    if (onTerminal && lastLine) process.stderr.write('\n'); // end the bar's line
    clock.dispose(); // no more timers: nothing runs against stores that are closing
    await runner.stop();
    for (const line of summary(runner.all(), reasons)) process.stderr.write(`${line}\n`);
    store.close();
    release();
    await closeSink?.();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);

  process.stderr.write(
    `fleetsim agents: ${runner.all().length} devices (${restored.length > 0 ? 'restored from' : 'kept in'} ${dbPath}; seed ${seed.seed}, ${seed.source}) → ${options.broker}\n`,
  );
}
