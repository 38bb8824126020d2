import {
  type ActionRecord,
  type ChannelRecord,
  type DeviceRecord,
  DuplicateKeyError,
  type ServiceSnapshot,
  type ServiceStore,
} from '../service/types.ts';

/** What the server needs of a store beyond the service's own interface. */
export interface ServerStore extends ServiceStore {
  getSetting<T>(key: string): T | undefined;
  close(): void;
}

/**
 * The store of a service that keeps nothing past its process (`--db :memory:`, scenario runs).
 * The service holds every record in memory already (its registry); a store is there to bring
 * them back after a restart, and nothing can restart into a database that dies with the process.
 * So this store keeps only what the service reads back (settings) and what keeps ids honest (a
 * duplicate id is still refused loudly), and saves without serializing anything — a check-in
 * on the virtual clock no longer pays for an SQLite write that no one could ever read.
 */
export class MemoryServiceStore implements ServerStore {
  readonly path = ':memory:';
  private readonly settings = new Map<string, string>();
  private readonly ids = {
    devices: new Set<string>(),
    channels: new Set<string>(),
    actions: new Set<string>(),
  };

  loadAll(): ServiceSnapshot {
    const settings: Record<string, unknown> = {};
    for (const [key, value] of this.settings) settings[key] = JSON.parse(value);
    return { devices: [], channels: [], actions: [], users: [], azureAdDevices: [], abm: [], settings };
  }

  private insertNew(table: keyof MemoryServiceStore['ids'], id: string): void {
    if (this.ids[table].has(id)) throw new DuplicateKeyError(table, id);
    this.ids[table].add(id);
  }
  createDevice(record: DeviceRecord): void {
    this.insertNew('devices', record.id);
  }
  createChannel(channel: ChannelRecord): void {
    this.insertNew('channels', channel.id);
  }
  createAction(action: ActionRecord): void {
    this.insertNew('actions', action.id);
  }

  // The service's registry holds the live records: there is nothing to copy them to.
  saveDevice(): void {}
  saveChannel(): void {}
  saveAction(): void {}
  saveUser(): void {}
  saveAzureAdDevice(): void {}
  saveAbmAssignment(): void {}

  /** Kept as JSON, as the SQLite store keeps them: what is read back is a copy, never the caller's object. */
  saveSetting(key: string, value: unknown): void {
    this.settings.set(key, JSON.stringify(value));
  }
  getSetting<T>(key: string): T | undefined {
    const value = this.settings.get(key);
    return value === undefined ? undefined : (JSON.parse(value) as T);
  }

  /** Nothing is written that could be rolled back: every change is already in the registry. */
  transaction<T>(fn: () => T): T {
    return fn();
  }
  group<T>(fn: () => T): T {
    return fn();
  }

  close(): void {}
}
