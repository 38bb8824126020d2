import type { Clock } from '../../sim/clock/types.ts';
import type { Command } from '../../sim/command.ts';
import { deleteRemovalCommand } from '../../sim/delete-removal.ts';
import { type ActionRequest, checkEligibility } from '../../sim/eligibility.ts';
import type { EventLog } from '../../sim/events.ts';
import type { ManagementState } from '../../sim/management-state.ts';
import type { PushChannel } from '../../sim/platforms/types.ts';
import type { Rng } from '../../sim/prng.ts';
import { REASONS, type ReasonCode } from '../../sim/reasons.ts';
import { COMMANDS_PER_MESSAGE_MAX, type DeviceUp, type EnrollRequest } from '../../sim/wire/schemas.ts';
import { companyPortalRefusal, type SelfServiceAction } from './company-portal.ts';
import { CANCEL_REASON, DeviceDesk } from './device-desk.ts';
import { Directory } from './directory.ts';
import { CERTIFICATE_LIFETIME_MS, EnrollmentDesk } from './enrollment.ts';
import { ID_SEQUENCE_SETTING, IdSource } from './ids.ts';
import { commandFor, commandKey, LIFECYCLE, NEEDS_PRIMARY_USER } from './lifecycle.ts';
import { PushNotifier } from './push.ts';
import { Registry } from './registry.ts';
import { SWEEP_INTERVAL_MS, Sweeper } from './sweeps.ts';
import type {
  ActionKind,
  ActionRecord,
  ActionSource,
  ChannelRecord,
  ChannelSession,
  DeviceRecord,
  Outbox,
  RemovedWhy,
  Secrets,
  ServiceStore,
} from './types.ts';

export { CERTIFICATE_LIFETIME_MS };

export interface ServiceDeps {
  clock: Clock;
  rng: Rng;
  store: ServiceStore;
  log: EventLog;
  outbox: Outbox;
  secrets: Secrets;
  /** Commands per answer to a check-in; a longer queue goes out in pages. */
  commandsPerMessage?: number;
}

export type ServiceErrorCode = 'notFound' | 'invalidRequest' | ReasonCode;
export interface ServiceError {
  code: ServiceErrorCode;
  message: string;
  specId?: string;
}
export type ServiceResult<T> = { ok: true; value: T } | { ok: false; error: ServiceError };

export interface Initiator {
  userPrincipalName: string;
  source: ActionSource;
  /** Set when the action is one of a bulk request (Graph's executeAction). */
  bulkId?: string;
}

/** Commands per message unless told otherwise: well under the wire's limit, so a page is never refused. */
export const COMMANDS_PER_MESSAGE = 16;

const fail = (
  code: ServiceErrorCode,
  message: string,
  specId?: string,
): { ok: false; error: ServiceError } => ({
  ok: false,
  error: specId ? { code, message, specId } : { code, message },
});
const refuse = (code: ReasonCode) => fail(code, REASONS[code].message, REASONS[code].specId);

/**
 * The Intune service: inventory, action lifecycle (S-1, S-2), eligibility, push (S-4), sync (S-6),
 * delete and cleanup (D-1..D-4, D-8), the directory (D-5..D-7) and Company Portal actions (S-5).
 * Time, randomness, storage and the wire are injected; this class does no I/O of its own.
 *
 * Delivery: an action stays open until the device's result is committed; each check-in is
 * answered with a page of the open actions (pending and active alike — the device answers a
 * repeat from its inbox), and each committed result is acknowledged. A repeated identical request
 * joins the open action; every open action ends (`canceled`, with a reason) when its record leaves
 * the list, so none waits for a device that can no longer check in.
 */
export class IntuneService {
  private readonly registry: Registry;
  readonly directory: Directory;
  readonly push: PushNotifier;
  private readonly ids: IdSource;
  private readonly enrollment: EnrollmentDesk;
  private readonly desk: DeviceDesk;
  private cleanupDaysValue = 0;

  constructor(private readonly deps: ServiceDeps) {
    this.directory = new Directory(deps.store, deps.log);
    this.push = new PushNotifier(deps.clock, deps.outbox, deps.log);
    const snap = deps.store.loadAll();
    this.registry = new Registry(deps.store, snap);
    this.ids = new IdSource(
      deps.rng.child('ids'),
      typeof snap.settings[ID_SEQUENCE_SETTING] === 'number' ? snap.settings[ID_SEQUENCE_SETTING] : 0,
      (next) => deps.store.saveSetting(ID_SEQUENCE_SETTING, next),
    );
    this.directory.load(snap.users, snap.azureAdDevices, snap.abm);
    this.cleanupDaysValue = typeof snap.settings.cleanupDays === 'number' ? snap.settings.cleanupDays : 0;
    for (const channel of (snap.settings.pushOutages as PushChannel[] | undefined) ?? [])
      this.push.setChannel(channel, false);
    const tokenKey =
      typeof snap.settings.tokenKey === 'string' ? snap.settings.tokenKey : deps.secrets.newToken();
    deps.store.saveSetting('tokenKey', tokenKey);
    const parts = { ...deps, ids: this.ids, registry: this.registry, directory: this.directory, tokenKey };
    this.enrollment = new EnrollmentDesk(parts);
    this.desk = new DeviceDesk({
      ...parts,
      push: this.push,
      pageSize: Math.min(deps.commandsPerMessage ?? COMMANDS_PER_MESSAGE, COMMANDS_PER_MESSAGE_MAX),
      setState: (device, to) => this.setState(device, to),
      removeRecord: (device, why, specId) => this.removeRecord(device, why, specId),
      queue: (device, kind, command, by) => this.queue(device, kind, command, by),
    });
  }

  get now(): number {
    return this.deps.clock.now();
  }

  /** Every record, listed or not (read-only: changes go through the service's methods). */
  get devices(): ReadonlyMap<string, DeviceRecord> {
    return this.registry.allDevices();
  }
  get actions(): ReadonlyMap<string, ActionRecord> {
    return this.registry.allActions();
  }
  get channels(): ReadonlyMap<string, ChannelRecord> {
    return this.registry.allChannels();
  }
  get cleanupDays(): number {
    return this.cleanupDaysValue;
  }

  /** A fresh id for something the service hands out (a bulk request, say); never one used before. */
  newId(): string {
    return this.ids.next();
  }

  /** Starts the continuous rules (cleanup D-2, certificate expiry D-8). */
  start(): void {
    const sweeper = new Sweeper(this);
    const tick = () => {
      sweeper.tick();
      this.deps.clock.schedule(this.now + SWEEP_INTERVAL_MS, 'service:sweep', tick);
    };
    this.deps.clock.schedule(this.now + SWEEP_INTERVAL_MS, 'service:sweep', tick);
  }

  // ---- admin side -------------------------------------------------------------------------

  listDevices(): DeviceRecord[] {
    return [...this.registry.allDevices().values()].filter((d) => d.listed);
  }

  /** A listed device (Graph's view: 404 for deleted or removed ones). */
  getDevice(id: string): DeviceRecord | undefined {
    const d = this.registry.device(id);
    return d?.listed ? d : undefined;
  }

  actionsOf(device: DeviceRecord): ActionRecord[] {
    return this.registry.actionsOf(device);
  }

  openActionsOf(device: DeviceRecord): ActionRecord[] {
    return this.registry.openActionsOf(device);
  }

  /**
   * Queues an action after the eligibility rules; an identical one still open on the device is
   * returned instead of a second copy. A delete (D-1) yields its removal action, or null when the
   * record went at once (D-6).
   */
  requestAction(
    deviceId: string,
    request: Exclude<ActionRequest, { action: 'delete' }>,
    by: Initiator,
  ): ServiceResult<ActionRecord>;
  requestAction(deviceId: string, request: ActionRequest, by: Initiator): ServiceResult<ActionRecord | null>;
  requestAction(deviceId: string, request: ActionRequest, by: Initiator): ServiceResult<ActionRecord | null> {
    const device = this.getDevice(deviceId);
    if (!device) return fail('notFound', `No managed device with id ${deviceId}.`);
    if (request.action === 'delete') return this.deleteDevice(deviceId, by);
    const kind: ActionKind = request.action;
    const refused = checkEligibility(device.identity, request);
    const userGone =
      NEEDS_PRIMARY_USER.includes(kind) && this.directory.isDeleted(device.identity.user?.userPrincipalName);
    const error = refused ? refuse(refused.code) : userGone ? this.userDeletedError(device) : null;
    if (error) {
      this.deps.log.append({
        type: 'action.refused',
        deviceId,
        action: kind,
        code: error.error.code,
        specId: error.error.specId ?? '',
        initiatedBy: by.userPrincipalName,
      });
      return error;
    }
    const key = commandKey(commandFor(request, ''));
    const same = this.openActionsOf(device).find((a) => a.kind === kind && commandKey(a.command) === key);
    if (same) {
      // [design] Intune runs a remote action once however often it is asked while it is open.
      this.deps.log.append({
        type: 'action.coalesced',
        deviceId,
        actionId: same.id,
        action: LIFECYCLE[kind].graphActionName,
        initiatedBy: by.userPrincipalName,
      });
      return { ok: true, value: same };
    }
    const action = this.queue(device, kind, commandFor(request, this.ids.next()), by);
    return { ok: true, value: action };
  }

  /** S-5: a user starts an action on their own device from the Company Portal. */
  companyPortalAction(
    deviceId: string,
    userPrincipalName: string,
    action: SelfServiceAction,
  ): ServiceResult<ActionRecord> {
    const device = this.getDevice(deviceId);
    if (!device) return fail('notFound', `No managed device with id ${deviceId}.`);
    if (device.identity.user?.userPrincipalName.toLowerCase() !== userPrincipalName.toLowerCase()) {
      return fail(
        'companyPortalActionNotAllowed',
        `${userPrincipalName} is not the primary user of this device.`,
        'S-5',
      );
    }
    const why = companyPortalRefusal(device.identity, device.facts.azureAd, action);
    if (why) return fail('companyPortalActionNotAllowed', `${why}.`, 'S-5');
    const request = action === 'wipe' ? ({ action: 'wipe', options: {} } as const) : { action };
    return this.requestAction(deviceId, request, { userPrincipalName, source: 'companyPortal' });
  }

  /**
   * Runs `fn` (many requests, as a slice of a bulk action) under one commit of the store: each
   * request is still stored whole or not at all, and nothing is sent before the commit.
   */
  inOneCommit<T>(fn: () => T): T {
    return this.deps.store.group(fn);
  }

  /**
   * D-1: off the list at once; the device stays deletePending until its next check-in, when its
   * company data is removed; actions it has not yet received end as canceled. D-6: when its
   * primary user was deleted, Intune can no longer retire or wipe it, so the record goes and
   * nothing is sent: the delete succeeds with no action (null).
   */
  deleteDevice(deviceId: string, by: Initiator): ServiceResult<ActionRecord | null> {
    const device = this.getDevice(deviceId);
    if (!device) return fail('notFound', `No managed device with id ${deviceId}.`);
    if (this.directory.isDeleted(device.identity.user?.userPrincipalName)) {
      this.deps.store.transaction(() => this.removeRecord(device, 'delete', 'D-6'));
      return { ok: true, value: null };
    }
    // One transaction: a crash cannot leave the tombstone without its removal.
    const action = this.deps.store.transaction(() => {
      const command = deleteRemovalCommand(device.identity, this.ids.next());
      device.listed = false;
      this.setState(device, 'deletePending');
      // Only what the device has not been sent: a delivered command may be running, and its result counts.
      this.endActions(
        device,
        'canceledDeviceDeleted',
        this.openActionsOf(device).filter((a) => a.state === 'pending' && a.deliveredAtMs === null),
      );
      this.deps.log.append({ type: 'device.deletePending', deviceId, specId: 'D-1' });
      return this.queue(device, 'deleteRemoval', command, by);
    });
    return { ok: true, value: action };
  }

  /** D-2: 0 turns the rule off; otherwise a whole number of days from 30 to 270. */
  setCleanupDays(days: number): ServiceResult<number> {
    if (!Number.isInteger(days) || (days !== 0 && (days < 30 || days > 270))) {
      return fail(
        'invalidRequest',
        `deviceInactivityBeforeRetirementInDays must be 0 or a whole number from 30 to 270, got ${days}.`,
        'D-2',
      );
    }
    this.cleanupDaysValue = days;
    this.deps.store.saveSetting('cleanupDays', days);
    this.deps.log.append({ type: 'cleanup.settings', days });
    return { ok: true, value: days };
  }

  setPushChannel(channel: PushChannel, up: boolean): void {
    this.push.setChannel(channel, up);
    this.deps.store.saveSetting('pushOutages', this.push.channelsDown);
  }

  // ---- device side --------------------------------------------------------------------------

  /** D-8: when the device's management certificate expires — its channel's, the one place it is kept. */
  certificateExpiresAt(device: DeviceRecord): number {
    return this.registry.channel(device.channelId)?.certificateExpiresAtMs ?? 0;
  }

  /** Whether a device's MQTT credentials are valid now (revoked after removal; expire with the certificate). */
  authenticateChannel(channelId: string, token: string): boolean {
    const channel = this.registry.channel(channelId);
    return (
      !!channel &&
      !channel.revoked &&
      channel.certificateExpiresAtMs > this.now &&
      channel.tokenHash === this.deps.secrets.hash(token)
    );
  }

  /** A connection's handle on its channel, if the credentials are valid now (handleDeviceMessage). */
  openChannel(channelId: string, token: string): ChannelSession | null {
    if (!this.authenticateChannel(channelId, token)) return null;
    return { channel: this.registry.channel(channelId)!, device: null };
  }

  handleEnroll(clientId: string, request: EnrollRequest): void {
    this.enrollment.handle(clientId, request);
  }

  /**
   * `session`: the sender's connection's handle (openChannel), with which neither its channel nor
   * its device is looked up by id, each a cache miss in a big fleet's maps. A record stays the
   * same object for as long as the registry holds it; the channel's device changes when it
   * reappears (D-4), and the handle follows it.
   */
  handleDeviceMessage(channelId: string, message: DeviceUp, session: ChannelSession | null = null): void {
    const channel = session ? session.channel : this.registry.channel(channelId);
    if (!channel || channel.revoked) return;
    let device =
      session?.device?.id === channel.deviceId ? session.device : this.registry.device(channel.deviceId);
    if (!device) return;
    if (session) session.device = device;
    if (message.type === 'checkIn') {
      // D-4: a cleaned-up device whose certificate is still valid reappears as a new record.
      if (device.removedWhy === 'cleanup') {
        const old = device;
        device = this.deps.store.transaction(() => this.enrollment.reappear(old, channel));
      }
      this.desk.checkIn(device, channel, message);
    } else if (message.type === 'ack') {
      this.desk.acknowledge(device, message.commandId);
    } else {
      this.desk.complete(device, channel, message);
    }
  }

  // ---- internals ----------------------------------------------------------------------------

  private userDeletedError(device: DeviceRecord) {
    const upn = device.identity.user?.userPrincipalName ?? '';
    return fail('userDeleted', `${REASONS.userDeleted.message} Deleted user: ${upn}.`, 'D-6');
  }

  private queue(device: DeviceRecord, kind: ActionKind, command: Command, by: Initiator): ActionRecord {
    const action: ActionRecord = {
      id: command.id,
      deviceId: device.id,
      kind,
      command,
      state: 'pending',
      requestedAtMs: this.now,
      deliveredAtMs: null,
      acknowledgedAtMs: null,
      completedAtMs: null,
      lastUpdatedAtMs: this.now,
      initiatedBy: by.userPrincipalName,
      source: by.source,
      bulkId: by.bulkId ?? null,
      reasonCode: null,
      rules: [],
    };
    this.deps.store.transaction(() => {
      this.registry.addAction(action);
      device.actionIds.push(action.id);
      const issued = LIFECYCLE[kind].issued;
      if (issued) this.setState(device, issued);
      this.deps.store.saveDevice(device);
    });
    const options: Record<string, unknown> =
      command.type === 'wipe'
        ? { ...command.options }
        : command.type === 'freshStart'
          ? { keepUserData: command.keepUserData }
          : {};
    this.deps.log.append({
      type: 'action.requested',
      deviceId: device.id,
      actionId: action.id,
      action: LIFECYCLE[kind].graphActionName,
      options,
      initiatedBy: by.userPrincipalName,
      source: by.source,
    });
    // S-4, S-6: tell the device at once. D-1: a deleted device is not woken; it learns at its next check-in.
    if (kind !== 'deleteRemoval') this.push.notify(device);
    return action;
  }

  /** Ends open actions that can no longer run, with the reason why (S-2's `canceled`). */
  private endActions(device: DeviceRecord, reason: ReasonCode, actions: readonly ActionRecord[]): void {
    for (const action of actions) {
      action.state = 'canceled';
      action.completedAtMs = this.now;
      action.lastUpdatedAtMs = this.now;
      action.reasonCode = reason;
      this.deps.store.saveAction(action);
      this.deps.log.append({
        type: 'action.completed',
        deviceId: device.id,
        actionId: action.id,
        action: LIFECYCLE[action.kind].graphActionName,
        status: 'canceled',
        reasonCode: reason,
        rules: [],
      });
    }
  }

  /**
   * Takes a record off the list and ends its open actions; shared with the sweeps (cleanup D-2,
   * certificate expiry D-8). Credentials are the caller's business (D-4: cleanup keeps them).
   */
  removeRecord(device: DeviceRecord, why: RemovedWhy, specId: string): void {
    this.deps.store.transaction(() => {
      device.listed = false;
      device.removedAtMs = this.now;
      device.removedWhy = why;
      this.push.answered(device.id);
      this.endActions(device, CANCEL_REASON[why], this.openActionsOf(device));
      this.deps.store.saveDevice(device);
      this.deps.log.append({ type: 'device.removed', deviceId: device.id, why, specId });
    });
  }

  setState(device: DeviceRecord, to: ManagementState): void {
    if (device.managementState === to) return;
    const from = device.managementState;
    device.managementState = to;
    this.deps.log.append({ type: 'device.managementState', deviceId: device.id, from, to });
  }
}
