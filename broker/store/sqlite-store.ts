import Database from 'better-sqlite3';
import {
  type ActionRecord,
  type AzureAdDeviceRecord,
  type ChannelRecord,
  type DeviceRecord,
  DuplicateKeyError,
  type ServiceSnapshot,
  type UserRecord,
} from '../service/types.ts';
import type { ServerStore } from './memory-store.ts';

/**
 * The service's durable state in SQLite (WAL): each record is a JSON document keyed by its id.
 * Every save commits before the service tells anyone of it (a device, an HTTP client), so a service
 * killed with SIGKILL loses nothing it acknowledged; on a scaled clock the device messages of one
 * event-loop turn commit together (`batch`). `:memory:` gives the same store without a file.
 */
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS devices (id TEXT PRIMARY KEY, doc TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS channels (id TEXT PRIMARY KEY, doc TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS actions (id TEXT PRIMARY KEY, device_id TEXT NOT NULL, doc TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS users (upn TEXT PRIMARY KEY, doc TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS azure_ad_devices (id TEXT PRIMARY KEY, doc TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS abm (serial TEXT PRIMARY KEY, assigned INTEGER NOT NULL);
  CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
`;
const SCHEMA_VERSION = '1';

export class SqliteServiceStore implements ServerStore {
  private readonly db: Database.Database;
  private readonly put: Record<'devices' | 'channels' | 'users' | 'azure_ad_devices', Database.Statement>;
  private readonly putAction: Database.Statement;
  private readonly insert: Record<'devices' | 'channels' | 'actions', Database.Statement>;
  private readonly putAbm: Database.Statement;
  private readonly putSetting: Database.Statement;
  /** better-sqlite3 builds a wrapper per `transaction()` call: build it once. */
  private readonly inTransaction: (fn: () => unknown) => unknown;
  /** A group commit is open: device messages of this event-loop turn write into one transaction. */
  private batchOpen = false;
  /** Inside a batched handler, or inside a transaction() while a batch is open: writes wait for the commit. */
  private joined = 0;
  /** Inside `group`: a transaction() becomes a savepoint of the open batch, committed at the group's end. */
  private grouping = 0;
  private afterCommitQueue: (() => void)[] = [];

  constructor(readonly path: string) {
    this.db = new Database(path);
    if (path !== ':memory:') {
      this.db.pragma('journal_mode = WAL');
      // NORMAL is durable against process death (the fault tests); FULL would also cover power loss.
      this.db.pragma('synchronous = NORMAL');
    }
    this.db.exec(SCHEMA);
    const version = this.db.prepare('SELECT value FROM meta WHERE key = ?').get('schema') as
      | { value: string }
      | undefined;
    if (!version)
      this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run('schema', SCHEMA_VERSION);
    else if (version.value !== SCHEMA_VERSION) {
      throw new Error(
        `${path}: store schema version ${version.value}, this fleetsim reads version ${SCHEMA_VERSION}`,
      );
    }
    const upsert = (table: string, key: string) =>
      this.db.prepare(
        `INSERT INTO ${table} (${key}, doc) VALUES (?, ?) ON CONFLICT(${key}) DO UPDATE SET doc = excluded.doc`,
      );
    this.put = {
      devices: upsert('devices', 'id'),
      channels: upsert('channels', 'id'),
      users: upsert('users', 'upn'),
      azure_ad_devices: upsert('azure_ad_devices', 'id'),
    };
    this.putAction = this.db.prepare(
      'INSERT INTO actions (id, device_id, doc) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET doc = excluded.doc',
    );
    // New records are inserted, never upserted: a duplicate id is a bug to stop at, not a row to overwrite.
    this.insert = {
      devices: this.db.prepare('INSERT INTO devices (id, doc) VALUES (?, ?)'),
      channels: this.db.prepare('INSERT INTO channels (id, doc) VALUES (?, ?)'),
      actions: this.db.prepare('INSERT INTO actions (id, device_id, doc) VALUES (?, ?, ?)'),
    };
    this.putAbm = this.db.prepare(
      'INSERT INTO abm (serial, assigned) VALUES (?, ?) ON CONFLICT(serial) DO UPDATE SET assigned = excluded.assigned',
    );
    this.inTransaction = this.db.transaction((fn: () => unknown) => fn());
    this.putSetting = this.db.prepare(
      'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
    );
  }

  private docs<T>(table: string): T[] {
    return (this.db.prepare(`SELECT doc FROM ${table} ORDER BY rowid`).all() as { doc: string }[]).map(
      (r) => JSON.parse(r.doc) as T,
    );
  }

  loadAll(): ServiceSnapshot {
    const settings: Record<string, unknown> = {};
    for (const row of this.db.prepare('SELECT key, value FROM settings').all() as {
      key: string;
      value: string;
    }[]) {
      settings[row.key] = JSON.parse(row.value);
    }
    return {
      // Records stored before reappearedFrom existed did not reappear in this store's memory: null.
      devices: this.docs<DeviceRecord>('devices').map((d) => ({
        ...d,
        reappearedFrom: d.reappearedFrom ?? null,
      })),
      channels: this.docs<ChannelRecord>('channels'),
      actions: this.docs<ActionRecord>('actions'),
      users: this.docs<UserRecord>('users'),
      azureAdDevices: this.docs<AzureAdDeviceRecord>('azure_ad_devices'),
      abm: (
        this.db.prepare('SELECT serial, assigned FROM abm ORDER BY rowid').all() as {
          serial: string;
          assigned: number;
        }[]
      ).map((r) => ({ serialNumber: r.serial, assigned: r.assigned === 1 })),
      settings,
    };
  }

  private insertNew(table: 'devices' | 'channels' | 'actions', id: string, ...values: string[]): void {
    try {
      this.insert[table].run(id, ...values);
    } catch (e) {
      if ((e as { code?: string }).code?.startsWith('SQLITE_CONSTRAINT'))
        throw new DuplicateKeyError(table, id);
      throw e;
    }
  }
  createDevice(record: DeviceRecord): void {
    this.write(() => this.insertNew('devices', record.id, JSON.stringify(record)));
  }
  createChannel(channel: ChannelRecord): void {
    this.write(() => this.insertNew('channels', channel.id, JSON.stringify(channel)));
  }
  createAction(action: ActionRecord): void {
    this.write(() => this.insertNew('actions', action.id, action.deviceId, JSON.stringify(action)));
  }
  saveDevice(record: DeviceRecord): void {
    this.write(() => this.put.devices.run(record.id, JSON.stringify(record)));
  }
  saveChannel(channel: ChannelRecord): void {
    this.write(() => this.put.channels.run(channel.id, JSON.stringify(channel)));
  }
  saveAction(action: ActionRecord): void {
    this.write(() => this.putAction.run(action.id, action.deviceId, JSON.stringify(action)));
  }
  saveUser(user: UserRecord): void {
    this.write(() => this.put.users.run(user.userPrincipalName.toLowerCase(), JSON.stringify(user)));
  }
  saveAzureAdDevice(record: AzureAdDeviceRecord): void {
    this.write(() => this.put.azure_ad_devices.run(record.id, JSON.stringify(record)));
  }
  saveAbmAssignment(serialNumber: string, assigned: boolean): void {
    this.write(() => this.putAbm.run(serialNumber, assigned ? 1 : 0));
  }
  saveSetting(key: string, value: unknown): void {
    this.write(() => this.putSetting.run(key, JSON.stringify(value)));
  }
  getSetting<T>(key: string): T | undefined {
    const row = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as
      | { value: string }
      | undefined;
    return row ? (JSON.parse(row.value) as T) : undefined;
  }

  /** Nested calls, and calls from a batched handler, join the transaction they are in. */
  private get insideOne(): boolean {
    return this.joined > 0 || (this.db.inTransaction && !this.batchOpen);
  }

  transaction<T>(fn: () => T): T {
    if (this.insideOne) return fn();
    if (this.grouping > 0) return this.joinBatch(fn);
    if (!this.batchOpen) return this.inTransaction(fn) as T;
    // Outside the batch (an HTTP request, a sweep) while one is open: its writes land with the
    // batch's, committed before the caller goes on to answer anyone.
    const result = this.joinBatch(fn);
    this.commitBatch();
    return result;
  }

  /**
   * Group commit, for a service on a scaled clock: runs `fn` (one device message's handling) in
   * the transaction this event-loop turn shares, committed once the turn's work is done. What the
   * service sends because of it waits for that commit (`afterCommit`), so nothing it tells a device
   * runs ahead of what it stored. A handler that throws takes back only its own writes (a savepoint).
   */
  batch<T>(fn: () => T): T {
    if (!this.batchOpen) {
      this.db.exec('BEGIN');
      this.batchOpen = true;
      setImmediate(() => this.commitBatch());
    }
    return this.joinBatch(fn);
  }

  /**
   * One commit for many transactions: a bulk action's 10,000 actions committed one by one spent
   * ~57 µs each on BEGIN/COMMIT and the WAL write (profile of a 10,000-device sync). Each
   * transaction inside is a savepoint of the batch; sends wait for the commit at the end.
   */
  group<T>(fn: () => T): T {
    if (this.insideOne) return fn();
    if (!this.batchOpen) {
      this.db.exec('BEGIN');
      this.batchOpen = true;
    }
    this.grouping++;
    try {
      return fn();
    } finally {
      // What landed is in memory already: commit it even when `fn` threw part of the way through.
      if (--this.grouping === 0) this.commitBatch();
    }
  }

  /** Runs `fn` now, or after the open batch is committed. */
  afterCommit(fn: () => void): void {
    if (this.batchOpen) this.afterCommitQueue.push(fn);
    else fn();
  }

  /** Commits the open batch, if any, then runs what waited for it, in order. */
  commitBatch(): void {
    if (!this.batchOpen) return;
    this.db.exec('COMMIT');
    this.batchOpen = false;
    const waiting = this.afterCommitQueue;
    this.afterCommitQueue = [];
    for (const f of waiting) f();
  }

  private joinBatch<T>(fn: () => T): T {
    this.joined++;
    try {
      return this.inTransaction(fn) as T; // inside BEGIN: a savepoint
    } finally {
      this.joined--;
    }
  }

  /** A single write: outside any transaction while a batch is open, it commits the batch with it (a group commits at its end). */
  private write(run: () => void): void {
    run();
    if (this.batchOpen && this.joined === 0 && this.grouping === 0) this.commitBatch();
  }

  close(): void {
    if (this.db.open) this.commitBatch();
    this.db.close();
  }
}
