import Database from 'better-sqlite3';
import type { DeviceIdentity } from '../../sim/device-identity.ts';
import type { DeviceState } from '../../sim/device-state.ts';
import type { DeviceUp } from '../../sim/wire/schemas.ts';

/** What an agent keeps across process death: the device (its NVRAM included) and its credentials. */
export interface SavedAgent {
  identity: DeviceIdentity;
  state: DeviceState;
  credentials: AgentCredentials | null;
  /** Results the service has not yet said it committed: sent again at every connection until it does. */
  outbox: Extract<DeviceUp, { type: 'result' }>[];
  /** Ids of the commands this device committed, so a repeat is answered, not run again. */
  inbox: string[];
  /** The enrollment request in flight: chosen before it is first sent, kept until its answer is stored. */
  enrollRequestId: string | null;
  /** Enrollments completed so far (the next request id counts on from it). */
  enrollments: number;
  cohort: string;
}

/** A saved agent from an older store, with what it lacks filled in. */
export function upgradeSaved(
  doc: Partial<SavedAgent> & Pick<SavedAgent, 'identity' | 'state' | 'cohort'>,
): SavedAgent {
  return {
    credentials: null,
    outbox: [],
    inbox: [],
    enrollRequestId: null,
    enrollments: 0,
    ...doc,
  };
}

export interface AgentCredentials {
  channelId: string;
  managedDeviceId: string;
  token: string;
  enrolledAtMs: number;
}

export interface AgentStoreOptions {
  /**
   * Commit the saves of one event-loop turn together (one transaction), each device's `then`
   * after it. For agents on a wall or scaled clock, where a busy process handles many devices'
   * messages per turn; on the virtual clock a turn is not a moment of sim time, so saves commit at once.
   */
  groupCommit?: boolean;
}

/**
 * SQLite on disk for the agents of one process (WAL). Killing the process with SIGKILL in the
 * middle of a wipe and starting it again finds the reset in NVRAM (W-PROT-1, W-PROT-2).
 */
export class AgentStore {
  private readonly db: Database.Database;
  private readonly upsert: Database.Statement;
  private readonly upsertState: Database.Statement;
  /** The state object each device's stored state was last written from. */
  private readonly writtenState = new Map<string, DeviceState>();
  private readonly groupCommit: boolean;
  /** Saves waiting for this turn's commit: the latest document of each device, read when committed. */
  private readonly queued = new Map<string, () => SavedAgent>();
  private afterCommit: (() => void)[] = [];
  private flushScheduled = false;

  constructor(
    readonly path: string,
    options: AgentStoreOptions = {},
  ) {
    this.groupCommit = options.groupCommit ?? false;
    this.db = new Database(path);
    if (path !== ':memory:') {
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
    }
    // The device's state (~6 KB of JSON) apart from the rest (inbox, outbox, credentials: small and
    // written at every message): most messages leave the state as it was, and it is not written again.
    // A store from before the split has the state inside `agents.doc`; loadAll reads both.
    this.db.exec(`CREATE TABLE IF NOT EXISTS agents (serial TEXT PRIMARY KEY, doc TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS agent_states (serial TEXT PRIMARY KEY, doc TEXT NOT NULL)`);
    const upsert = (table: string) =>
      this.db.prepare(
        `INSERT INTO ${table} (serial, doc) VALUES (?, ?) ON CONFLICT(serial) DO UPDATE SET doc = excluded.doc`,
      );
    this.upsert = upsert('agents');
    this.upsertState = upsert('agent_states');
  }

  /**
   * Writes a device. Its state is written only when it is another object than the one last written:
   * the model never changes a state in place (test/unit/purity.test.ts), it makes a new one.
   */
  save(agent: SavedAgent): void {
    const serial = agent.identity.serialNumber;
    const { state, ...rest } = agent;
    if (this.writtenState.get(serial) !== state) {
      this.upsertState.run(serial, JSON.stringify(state));
      this.writtenState.set(serial, state);
    }
    this.upsert.run(serial, JSON.stringify(rest));
  }

  /**
   * Stores a device, then calls `then` (what the device may send now that its state is on disk):
   * at once, or with group commit after this turn's transaction. `doc` is read at the commit, so
   * a device saving twice in a turn is written once, as it is then.
   */
  saveThen(serialNumber: string, doc: () => SavedAgent, then: () => void): void {
    if (!this.groupCommit) {
      this.save(doc());
      then();
      return;
    }
    this.queued.set(serialNumber, doc);
    this.afterCommit.push(then);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Commits what is queued now, in one transaction, then runs what waited for it, in order. */
  flush(): void {
    this.flushScheduled = false;
    if (this.queued.size === 0 && this.afterCommit.length === 0) return;
    if (!this.db.open) return; // closed: what was queued is lost, as in a crash, and nothing was sent for it
    const docs = [...this.queued];
    const then = this.afterCommit;
    this.queued.clear();
    this.afterCommit = [];
    this.transaction(() => {
      for (const [, doc] of docs) this.save(doc());
    });
    for (const f of then) f();
  }

  /** Runs `fn` in one transaction: many saves commit together (and far faster). */
  transaction(fn: () => void): void {
    this.db.transaction(fn)();
  }

  loadAll(): SavedAgent[] {
    return readSavedAgents(this.db);
  }

  close(): void {
    this.flush();
    this.db.close();
  }
}

/** Every device an agents database holds, in the order they were first stored (also read by tools). */
export function readSavedAgents(db: Database.Database): SavedAgent[] {
  const rows = db
    .prepare(
      'SELECT a.doc AS doc, s.doc AS state FROM agents a LEFT JOIN agent_states s USING (serial) ORDER BY a.rowid',
    )
    .all() as { doc: string; state: string | null }[];
  return rows.map((r) => {
    const doc = JSON.parse(r.doc) as SavedAgent;
    if (r.state !== null) doc.state = JSON.parse(r.state) as DeviceState;
    return upgradeSaved(doc);
  });
}
