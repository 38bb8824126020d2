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

/**
 * SQLite on disk for the agents of one process (WAL). Killing the process with SIGKILL in the
 * middle of a wipe and starting it again finds the reset in NVRAM (W-PROT-1, W-PROT-2).
 */
export class AgentStore {
  private readonly db: Database.Database;
  private readonly upsert: Database.Statement;

  constructor(readonly path: string) {
    this.db = new Database(path);
    if (path !== ':memory:') {
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
    }
    this.db.exec('CREATE TABLE IF NOT EXISTS agents (serial TEXT PRIMARY KEY, doc TEXT NOT NULL)');
    this.upsert = this.db.prepare(
      'INSERT INTO agents (serial, doc) VALUES (?, ?) ON CONFLICT(serial) DO UPDATE SET doc = excluded.doc',
    );
  }

  save(agent: SavedAgent): void {
    this.upsert.run(agent.identity.serialNumber, JSON.stringify(agent));
  }

  /** Runs `fn` in one transaction: many saves commit together (and far faster). */
  transaction(fn: () => void): void {
    this.db.transaction(fn)();
  }

  loadAll(): SavedAgent[] {
    return (this.db.prepare('SELECT doc FROM agents ORDER BY rowid').all() as { doc: string }[]).map((r) =>
      upgradeSaved(JSON.parse(r.doc) as SavedAgent),
    );
  }

  close(): void {
    this.db.close();
  }
}
