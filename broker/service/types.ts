import type { Command } from '../../sim/command.ts';
import type { DeviceIdentity } from '../../sim/device-identity.ts';
import type { PolicyItem } from '../../sim/device-state.ts';
import type { ActionState, ManagementState } from '../../sim/management-state.ts';
import type { DeviceDown, DeviceFacts, EnrollResponse } from '../../sim/wire/schemas.ts';

/** The kinds of action the service queues for a device. */
export type ActionKind = 'wipe' | 'retire' | 'freshStart' | 'sync' | 'deleteRemoval';

export type ActionSource = 'admin' | 'companyPortal' | 'service';

/** One remote action, from the admin's request to its end (S-1, S-2). */
export interface ActionRecord {
  id: string;
  deviceId: string;
  kind: ActionKind;
  command: Command;
  state: Exclude<ActionState, 'none'>;
  requestedAtMs: number;
  /** Sent to the device in answer to a check-in (possibly more than once). */
  deliveredAtMs: number | null;
  /** The device acknowledged it: actionState `active`; the 15-minute promise is measured here (W-7, R-4). */
  acknowledgedAtMs: number | null;
  completedAtMs: number | null;
  lastUpdatedAtMs: number;
  initiatedBy: string;
  source: ActionSource;
  /** The bulk request this action was part of (Graph's executeAction), or null. */
  bulkId: string | null;
  reasonCode: string | null;
  rules: string[];
}

/** The service's managedDevice record: Graph's fields plus what the service needs to run it. */
export interface DeviceRecord {
  id: string;
  channelId: string;
  identity: DeviceIdentity;
  enrolledAtMs: number;
  lastSyncAtMs: number | null;
  azureADDeviceId: string;
  managementState: ManagementState;
  /** Shown in the device list (Graph answers 404 once false). */
  listed: boolean;
  removedAtMs: number | null;
  removedWhy: RemovedWhy | null;
  assignedPolicies: PolicyItem[];
  facts: DeviceFacts;
  actionIds: string[];
  /** The enrollment request that made this record: a repeat of it gets this record back. */
  enrollRequestId: string | null;
  /** D-4: the record this one reappeared from (a cleaned-up device checking in again), or null. */
  reappearedFrom: string | null;
}

/** Why a record left the device list. */
export type RemovedWhy = 'wipe' | 'retire' | 'freshStart' | 'delete' | 'cleanup' | 'certificateExpired';

/** An MQTT identity issued at enrollment; survives record changes (D-4's reappearance). */
export interface ChannelRecord {
  id: string;
  tokenHash: string;
  revoked: boolean;
  deviceId: string;
  certificateExpiresAtMs: number;
}

/**
 * A device connection's handle on its channel record and that channel's device record, made when
 * it connects (IntuneService.openChannel): what each of its messages would otherwise look up by id.
 */
export interface ChannelSession {
  readonly channel: ChannelRecord;
  /** The channel's device as last seen; checked against the channel's deviceId before use. */
  device: DeviceRecord | null;
}

export interface UserRecord {
  userPrincipalName: string;
  displayName: string;
  deleted: boolean;
}

/** Directory record of a device in Azure AD (D-5). */
export interface AzureAdDeviceRecord {
  id: string;
  deviceId: string;
  deleted: boolean;
}

/** Durable state: every mutation is written before the service moves on (broker/store). */
export interface ServiceStore {
  loadAll(): ServiceSnapshot;
  /** Inserts a new record; throws DuplicateKeyError rather than overwrite one with the same id. */
  createDevice(record: DeviceRecord): void;
  createChannel(channel: ChannelRecord): void;
  createAction(action: ActionRecord): void;
  saveDevice(record: DeviceRecord): void;
  saveChannel(channel: ChannelRecord): void;
  saveAction(action: ActionRecord): void;
  saveUser(user: UserRecord): void;
  saveAzureAdDevice(record: AzureAdDeviceRecord): void;
  saveAbmAssignment(serialNumber: string, assigned: boolean): void;
  saveSetting(key: string, value: unknown): void;
  /** Runs `fn` in one transaction: all of its writes land, or none. */
  transaction<T>(fn: () => T): T;
  /**
   * Runs `fn`, many transactions' worth of writes (a slice of a bulk action), under one commit at
   * its end: each transaction inside still lands whole or not at all, and what the service sends
   * meanwhile waits for the commit. Returns once it is committed.
   */
  group<T>(fn: () => T): T;
}

export interface ServiceSnapshot {
  devices: DeviceRecord[];
  channels: ChannelRecord[];
  actions: ActionRecord[];
  users: UserRecord[];
  azureAdDevices: AzureAdDeviceRecord[];
  abm: { serialNumber: string; assigned: boolean }[];
  settings: Record<string, unknown>;
}

/** Where the service's messages go; the MQTT edge adds the envelope and publishes. */
export interface Outbox {
  toDevice(channelId: string, message: DistributiveOmit<DeviceDown, 'v' | 'seq' | 'sentAtMs'>): void;
  toEnrollee(clientId: string, message: DistributiveOmit<EnrollResponse, 'v' | 'seq' | 'sentAtMs'>): void;
  /** Drops a connected client whose credentials were just revoked. */
  disconnect(channelId: string): void;
}

export type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** Secrets come from outside the pure core (crypto at the edge). */
export interface Secrets {
  newToken(): string;
  hash(token: string): string;
}

/** An id was about to be used twice: a broken invariant, stopped before it overwrote anything. */
export class DuplicateKeyError extends Error {
  constructor(
    readonly table: string,
    readonly id: string,
  ) {
    super(`refusing to overwrite ${table} record ${id}: ids are never reused`);
    this.name = 'DuplicateKeyError';
  }
}
