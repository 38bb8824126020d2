import type { FlightTracker } from '../sim/clock/flight-tracker.ts';
import { type ClockAnchor, ScaledClock } from '../sim/clock/scaled-clock.ts';
import type { Clock } from '../sim/clock/types.ts';
import { EventLog } from '../sim/events.ts';
import { createRng } from '../sim/prng.ts';
import { FleetBroker } from './mqtt/broker.ts';
import { type GroupCommit, ServiceLink } from './mqtt/service-link.ts';
import { cryptoSecrets } from './secrets.ts';
import { IntuneService } from './service/service.ts';
import type { Secrets } from './service/types.ts';
import { MemoryServiceStore, type ServerStore } from './store/memory-store.ts';
import { SqliteServiceStore } from './store/sqlite-store.ts';

export interface ServerOptions {
  /** The clock to run on; a scaled clock's anchor is persisted and continued after a restart. */
  clock: Clock;
  seed: string;
  /** SQLite file, or ':memory:' (nothing kept past the process). */
  db: string;
  /** TCP port for MQTT; 0 picks a free one; null serves in-memory connections only. */
  mqttPort: number | null;
  host?: string;
  tracker?: FlightTracker | null;
  log?: EventLog;
  secrets?: Secrets;
  /** Commands per answer to a check-in (a longer queue goes out in pages). */
  commandsPerMessage?: number;
}

export interface RunningServer {
  service: IntuneService;
  broker: FleetBroker;
  link: ServiceLink;
  store: ServerStore;
  log: EventLog;
  clock: Clock;
  enrollmentToken: string;
  /** mqtt://host:port, or null without TCP. */
  mqttUrl: string | null;
  close(): Promise<void>;
}

/** Reads a persisted token, or makes and keeps a new one. */
function token(store: ServerStore, key: string, secrets: Secrets): string {
  const existing = store.getSetting<string>(key);
  if (existing) return existing;
  const fresh = secrets.newToken();
  store.saveSetting(key, fresh);
  return fresh;
}

/**
 * The Intune side in one process: SQLite store, service core, embedded aedes broker (TCP and/or
 * in-memory), and the service's side of the wire in the broker's process. Restarting on the same
 * database continues where it stopped: inventory, queued and issued actions, credentials and the
 * scaled clock.
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const secrets = options.secrets ?? cryptoSecrets;
  // A database that dies with the process is no database to write to (memory-store.ts says why).
  const store: ServerStore =
    options.db === ':memory:' ? new MemoryServiceStore() : new SqliteServiceStore(options.db);
  const clock = options.clock;
  if (clock instanceof ScaledClock) {
    // The service is the time authority: continue the persisted sim time if there is one.
    const saved = store.getSetting<ClockAnchor>('clockAnchor');
    if (saved)
      clock.setAnchor({
        simOriginMs: new ScaledClock(saved).now(),
        wallOriginMs: Date.now(),
        speed: clock.speed,
      });
    store.saveSetting('clockAnchor', clock.anchor);
  }
  const log = options.log ?? new EventLog(() => clock.now());
  const tracker = options.tracker ?? null;
  const enrollmentToken = token(store, 'enrollmentToken', secrets);

  // Group commit on a scaled clock with a database: the device messages of one event-loop turn share
  // a transaction. On the virtual clock a turn is no moment of sim time: each handling commits alone.
  // Either way, what the service sends waits for the commit it follows (a bulk action's slice).
  const sqlite = store instanceof SqliteServiceStore ? store : null;
  const groupCommit: GroupCommit | null = sqlite && {
    batch: clock instanceof ScaledClock ? (fn) => sqlite.batch(fn) : (fn) => fn(),
    afterCommit: (fn) => sqlite.afterCommit(fn),
  };
  // Made before the broker, which asks it who a connecting device is; the service comes after both.
  const link = new ServiceLink(clock, log, tracker, (clientId) => broker.disconnect(clientId), groupCommit);
  const broker = await FleetBroker.create(
    {
      enrollmentToken,
      deviceSender: (channelId, password) => link.deviceSender(channelId, password),
    },
    log,
    tracker,
    // Messages stamped far ahead of this clock are refused.
    { now: () => clock.now(), speed: () => (clock instanceof ScaledClock ? clock.speed : null) },
  );
  const service = new IntuneService({
    clock,
    rng: createRng(options.seed).child('service'),
    store,
    log,
    outbox: link,
    secrets,
    ...(options.commandsPerMessage ? { commandsPerMessage: options.commandsPerMessage } : {}),
  });
  await link.attach(broker, service);
  const anchor =
    clock instanceof ScaledClock ? clock.anchor : { simOriginMs: clock.now(), wallOriginMs: 0, speed: 1 };
  link.publishClock({ mode: clock.mode, ...anchor });
  service.start();

  const host = options.host ?? '127.0.0.1';
  const port = options.mqttPort === null ? null : await broker.listen(options.mqttPort, host);
  return {
    service,
    broker,
    link,
    store,
    log,
    clock,
    enrollmentToken,
    mqttUrl: port === null ? null : `mqtt://${host}:${port}`,
    async close() {
      sqlite?.commitBatch(); // what it held goes out, then the link waits for it to be routed
      await link.close();
      await broker.close();
      if (clock instanceof ScaledClock) {
        store.saveSetting('clockAnchor', clock.anchor);
        clock.dispose();
      }
      store.close();
    },
  };
}
