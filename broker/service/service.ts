import type { Clock } from '../../sim/clock/types.ts';
import type { Command } from '../../sim/command.ts';
import { deleteRemovalCommand } from '../../sim/delete-removal.ts';
import type { DeviceIdentity } from '../../sim/device-identity.ts';
import { type ActionRequest, checkEligibility } from '../../sim/eligibility.ts';
import type { EventLog } from '../../sim/events.ts';
import type { ManagementState } from '../../sim/management-state.ts';
import type { PushChannel } from '../../sim/platforms/types.ts';
import type { Rng } from '../../sim/prng.ts';
import { REASONS, type ReasonCode } from '../../sim/reasons.ts';
import { DAY_MS } from '../../sim/time-units.ts';
import type { DeviceUp, EnrollRequest } from '../../sim/wire/schemas.ts';
import { companyPortalRefusal, type SelfServiceAction } from './company-portal.ts';
import { Directory } from './directory.ts';
import { guid } from './ids.ts';
import { commandFor, LIFECYCLE, NEEDS_PRIMARY_USER } from './lifecycle.ts';
import { PushNotifier } from './push.ts';
import { runSweep, SWEEP_INTERVAL_MS } from './sweeps.ts';
import type {
  ActionKind,
  ActionRecord,
  ActionSource,
  ChannelRecord,
  DeviceRecord,
  Outbox,
  Secrets,
  ServiceStore,
} from './types.ts';

export interface ServiceDeps {
  clock: Clock;
  rng: Rng;
  store: ServiceStore;
  log: EventLog;
  outbox: Outbox;
  secrets: Secrets;
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

/** D-8: the management certificate lasts a year; a device that keeps checking in renews it. */
export const CERTIFICATE_LIFETIME_MS = 365 * DAY_MS;
const CERTIFICATE_RENEW_BEFORE_MS = 60 * DAY_MS;

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
 */
export class IntuneService {
  readonly devices = new Map<string, DeviceRecord>();
  /** The newest record of each serial number (re-enrollment looks here, not through every record). */
  private readonly latestBySerial = new Map<string, DeviceRecord>();
  readonly channels = new Map<string, ChannelRecord>();
  readonly actions = new Map<string, ActionRecord>();
  readonly directory: Directory;
  readonly push: PushNotifier;
  cleanupDays = 0;

  constructor(private readonly deps: ServiceDeps) {
    this.directory = new Directory(deps.store, deps.log);
    this.push = new PushNotifier(deps.clock, deps.outbox, deps.log);
    const snap = deps.store.loadAll();
    for (const d of snap.devices) {
      this.devices.set(d.id, d);
      this.latestBySerial.set(d.identity.serialNumber, d);
    }
    for (const c of snap.channels) this.channels.set(c.id, c);
    for (const a of snap.actions) this.actions.set(a.id, a);
    this.directory.load(snap.users, snap.azureAdDevices, snap.abm);
    this.cleanupDays = typeof snap.settings.cleanupDays === 'number' ? snap.settings.cleanupDays : 0;
    for (const channel of (snap.settings.pushOutages as PushChannel[] | undefined) ?? [])
      this.push.setChannel(channel, false);
  }

  get now(): number {
    return this.deps.clock.now();
  }

  /** Starts the continuous rules (cleanup D-2, certificate expiry D-8). */
  start(): void {
    const tick = () => {
      runSweep(this);
      this.deps.clock.schedule(this.now + SWEEP_INTERVAL_MS, 'service:sweep', tick);
    };
    this.deps.clock.schedule(this.now + SWEEP_INTERVAL_MS, 'service:sweep', tick);
  }

  // ---- admin side -------------------------------------------------------------------------

  listDevices(): DeviceRecord[] {
    return [...this.devices.values()].filter((d) => d.listed);
  }

  /** A listed device (Graph's view: 404 for deleted or removed ones). */
  getDevice(id: string): DeviceRecord | undefined {
    const d = this.devices.get(id);
    return d?.listed ? d : undefined;
  }

  actionsOf(device: DeviceRecord): ActionRecord[] {
    return device.actionIds.map((id) => this.actions.get(id)!).filter(Boolean);
  }

  requestAction(deviceId: string, request: ActionRequest, by: Initiator): ServiceResult<ActionRecord> {
    const device = this.getDevice(deviceId);
    if (!device) return fail('notFound', `No managed device with id ${deviceId}.`);
    if (request.action === 'delete') {
      const deleted = this.deleteDevice(deviceId, by);
      return deleted.ok && deleted.value === null
        ? this.userDeletedError(device)
        : (deleted as ServiceResult<ActionRecord>);
    }
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
    const action = this.queue(device, kind, commandFor(request, guid(this.deps.rng)), by);
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
    const request: ActionRequest = action === 'wipe' ? { action: 'wipe', options: {} } : { action };
    return this.requestAction(deviceId, request, { userPrincipalName, source: 'companyPortal' });
  }

  /**
   * D-1: off the list at once; the device stays deletePending until its next check-in, when its
   * company data is removed. D-6: when its primary user was deleted, Intune can no longer retire or
   * wipe it, so the record goes and nothing is sent; the result is then null.
   */
  deleteDevice(deviceId: string, by: Initiator): ServiceResult<ActionRecord | null> {
    const device = this.getDevice(deviceId);
    if (!device) return fail('notFound', `No managed device with id ${deviceId}.`);
    if (this.directory.isDeleted(device.identity.user?.userPrincipalName)) {
      this.deps.store.transaction(() => this.removeRecord(device, 'delete', 'D-6'));
      return { ok: true, value: null };
    }
    const command = deleteRemovalCommand(device.identity, guid(this.deps.rng));
    this.deps.store.transaction(() => {
      device.listed = false;
      device.deletePending = true;
      this.setState(device, 'deletePending');
      this.deps.log.append({ type: 'device.deletePending', deviceId, specId: 'D-1' });
    });
    const action = this.queue(device, 'deleteRemoval', command, by);
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
    this.cleanupDays = days;
    this.deps.store.saveSetting('cleanupDays', days);
    this.deps.log.append({ type: 'cleanup.settings', days });
    return { ok: true, value: days };
  }

  setPushChannel(channel: PushChannel, up: boolean): void {
    this.push.setChannel(channel, up);
    this.deps.store.saveSetting('pushOutages', this.push.channelsDown);
  }

  // ---- device side --------------------------------------------------------------------------

  /** Whether a device's MQTT credentials are valid now (revoked after removal; expire with the certificate). */
  authenticateChannel(channelId: string, token: string): boolean {
    const channel = this.channels.get(channelId);
    return (
      !!channel &&
      !channel.revoked &&
      channel.certificateExpiresAtMs > this.now &&
      channel.tokenHash === this.deps.secrets.hash(token)
    );
  }

  handleEnroll(clientId: string, request: EnrollRequest): void {
    const { identity } = request;
    const reply = (message: Parameters<Outbox['toEnrollee']>[1]) =>
      this.deps.outbox.toEnrollee(clientId, message);
    // D-7: at setup, an ADE device enrolls by itself only while Apple Business Manager assigns it.
    if (request.automatic && !this.directory.isAbmAssigned(identity.serialNumber)) {
      const reason = 'not assigned to this MDM server in Apple Business Manager';
      this.deps.log.append({ type: 'device.enrollRefused', serialNumber: identity.serialNumber, reason });
      reply({ type: 'enrollRefused', requestId: request.requestId, reason });
      return;
    }
    const token = this.deps.secrets.newToken();
    const device = this.deps.store.transaction(() => {
      const channel: ChannelRecord = {
        id: `dev-${guid(this.deps.rng).replaceAll('-', '').slice(0, 20)}`,
        tokenHash: this.deps.secrets.hash(token),
        revoked: false,
        deviceId: '',
        certificateExpiresAtMs: this.now + CERTIFICATE_LIFETIME_MS,
      };
      // A device enrolling again with nothing on it gets what its serial number had before (W-5, D-7).
      const previous = this.latestBySerial.get(identity.serialNumber);
      const record = this.newRecord(identity, channel, request.facts);
      const policies = request.policies.length > 0 ? request.policies : (previous?.assignedPolicies ?? []);
      record.assignedPolicies = policies.map((p) => ({ ...p, settings: [...p.settings] }));
      this.deps.store.saveDevice(record);
      if (
        identity.enrollmentType === 'automatedDeviceEnrollment' &&
        !this.directory.abm.has(identity.serialNumber)
      ) {
        this.directory.setAbmAssignment(identity.serialNumber, true);
      }
      if (identity.user)
        this.directory.ensureUser(identity.user.userPrincipalName, identity.user.displayName);
      this.deps.log.append({
        type: 'device.enrolled',
        deviceId: record.id,
        channelId: channel.id,
        serialNumber: identity.serialNumber,
        platform: identity.platform,
        automatic: request.automatic,
      });
      return record;
    });
    reply({
      type: 'enrolled',
      requestId: request.requestId,
      managedDeviceId: device.id,
      channelId: device.channelId,
      token,
      enrolledAtMs: device.enrolledAtMs,
      policies: device.assignedPolicies,
    });
  }

  handleDeviceMessage(channelId: string, message: DeviceUp): void {
    const channel = this.channels.get(channelId);
    if (!channel || channel.revoked) return;
    let device = this.devices.get(channel.deviceId);
    if (!device) return;
    if (message.type === 'checkIn') {
      // D-4: a cleaned-up device whose certificate is still valid reappears as a new record.
      if (device.removedWhy === 'cleanup') device = this.reappear(device, channel);
      this.checkIn(device, channel, message);
    } else if (message.type === 'ack') {
      this.acknowledge(device, message.commandId);
    } else {
      this.complete(device, channel, message);
    }
  }

  // ---- internals ----------------------------------------------------------------------------

  private newRecord(
    identity: DeviceIdentity,
    channel: ChannelRecord,
    facts: DeviceRecord['facts'],
  ): DeviceRecord {
    const record: DeviceRecord = {
      id: guid(this.deps.rng),
      channelId: channel.id,
      identity,
      enrolledAtMs: this.now,
      lastSyncAtMs: null,
      azureADDeviceId: guid(this.deps.rng),
      certificateExpiresAtMs: channel.certificateExpiresAtMs,
      managementState: 'discovered',
      listed: true,
      removedAtMs: null,
      removedWhy: null,
      deletePending: false,
      assignedPolicies: [],
      facts,
      actionIds: [],
    };
    channel.deviceId = record.id;
    this.devices.set(record.id, record);
    this.latestBySerial.set(identity.serialNumber, record);
    this.channels.set(channel.id, channel);
    this.deps.store.saveChannel(channel);
    this.directory.registerAzureAdDevice(record.azureADDeviceId, record.id);
    return record;
  }

  private reappear(old: DeviceRecord, channel: ChannelRecord): DeviceRecord {
    const record = this.newRecord(old.identity, channel, old.facts);
    record.assignedPolicies = old.assignedPolicies;
    this.deps.store.saveDevice(record);
    this.deps.log.append({
      type: 'device.reappeared',
      deviceId: record.id,
      previousId: old.id,
      specId: 'D-4',
    });
    return record;
  }

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
      this.actions.set(action.id, action);
      device.actionIds.push(action.id);
      this.deps.store.saveAction(action);
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

  private checkIn(
    device: DeviceRecord,
    channel: ChannelRecord,
    message: Extract<DeviceUp, { type: 'checkIn' }>,
  ): void {
    this.push.answered(device.id);
    const toSend: ActionRecord[] = [];
    this.deps.store.transaction(() => {
      device.lastSyncAtMs = this.now;
      device.facts = message.facts;
      if (device.managementState === 'discovered') this.setState(device, 'managed');
      if (channel.certificateExpiresAtMs - this.now < CERTIFICATE_RENEW_BEFORE_MS) {
        channel.certificateExpiresAtMs = this.now + CERTIFICATE_LIFETIME_MS; // [design] renewal while in touch
        device.certificateExpiresAtMs = channel.certificateExpiresAtMs;
        this.deps.store.saveChannel(channel);
      }
      for (const action of this.actionsOf(device)) {
        if (action.state !== 'pending') continue;
        if (device.deletePending && action.kind !== 'deleteRemoval') continue; // D-1: only the removal now
        if (action.deliveredAtMs === null) action.deliveredAtMs = this.now;
        action.lastUpdatedAtMs = this.now;
        this.deps.store.saveAction(action);
        toSend.push(action);
      }
      this.deps.store.saveDevice(device);
    });
    this.deps.log.append({ type: 'device.checkIn', deviceId: device.id, reason: message.reason });
    for (const a of toSend) {
      this.deps.log.append({
        type: 'action.delivered',
        deviceId: device.id,
        actionId: a.id,
        action: LIFECYCLE[a.kind].graphActionName,
      });
    }
    // W-5: policies go back to a managed device that lacks them.
    const held = new Set(message.facts.policyIds);
    const missing = message.facts.enrolled && device.assignedPolicies.some((p) => !held.has(p.id));
    if (toSend.length > 0 || missing) {
      this.deps.outbox.toDevice(channel.id, {
        type: 'commands',
        commands: toSend.map((a) => a.command),
        policies: missing ? device.assignedPolicies : null,
      });
    }
  }

  private acknowledge(device: DeviceRecord, commandId: string): void {
    const action = this.actions.get(commandId);
    if (!action || action.deviceId !== device.id || action.state !== 'pending') return; // repeats are harmless
    this.deps.store.transaction(() => {
      action.state = 'active';
      action.acknowledgedAtMs = this.now;
      action.lastUpdatedAtMs = this.now;
      this.deps.store.saveAction(action);
      const pending = LIFECYCLE[action.kind].pending;
      if (pending && !device.deletePending) this.setState(device, pending);
      this.deps.store.saveDevice(device);
    });
    this.deps.log.append({
      type: 'action.acknowledged',
      deviceId: device.id,
      actionId: action.id,
      action: LIFECYCLE[action.kind].graphActionName,
      propagationMs: this.now - action.requestedAtMs,
    });
  }

  private complete(
    device: DeviceRecord,
    channel: ChannelRecord,
    message: Extract<DeviceUp, { type: 'result' }>,
  ): void {
    const action = this.actions.get(message.commandId);
    if (
      !action ||
      action.deviceId !== device.id ||
      !(action.state === 'pending' || action.state === 'active')
    )
      return;
    const leftManagement = message.status === 'done' && !message.facts.enrolled;
    this.deps.store.transaction(() => {
      action.state = message.status;
      action.completedAtMs = this.now;
      action.lastUpdatedAtMs = this.now;
      action.reasonCode = message.reasonCode ?? null;
      action.rules = message.rules;
      this.deps.store.saveAction(action);
      device.facts = message.facts;
      // The device left Azure AD (a retire's "Azure AD record removed", a wipe): so does its directory record.
      if (message.facts.azureAd === 'none') {
        this.directory.removeAzureAdDevice(device.azureADDeviceId, action.kind === 'retire' ? 'R-1' : 'W-1');
      }
      const { failed } = LIFECYCLE[action.kind];
      if (leftManagement) this.remove(device, channel, action.kind);
      else if (device.deletePending) {
        // D-1: the removal did not happen; keep the tombstone and try again at the next check-in.
        if (action.kind === 'deleteRemoval') {
          const again = { ...action.command, id: guid(this.deps.rng) };
          this.queue(device, 'deleteRemoval', again, {
            userPrincipalName: action.initiatedBy,
            source: action.source,
          });
        }
      } else if (message.status === 'failed' && failed) this.setState(device, failed);
      else if (action.kind !== 'sync') this.setState(device, 'managed');
      this.deps.store.saveDevice(device);
    });
    this.deps.log.append({
      type: 'action.completed',
      deviceId: device.id,
      actionId: action.id,
      action: LIFECYCLE[action.kind].graphActionName,
      status: message.status,
      ...(message.reasonCode ? { reasonCode: message.reasonCode } : {}),
      rules: message.rules,
    });
  }

  /** The device left management: the record leaves the list and its credentials stop working. */
  private remove(device: DeviceRecord, channel: ChannelRecord, kind: ActionKind): void {
    const why = kind === 'deleteRemoval' ? 'delete' : kind === 'sync' ? 'retire' : kind;
    const specId = { wipe: 'W-1', retire: 'R-1', delete: 'D-1', freshStart: 'F-3' }[why];
    this.removeRecord(device, why, specId);
    channel.revoked = true;
    this.deps.store.saveChannel(channel);
    this.deps.log.append({ type: 'credentials.revoked', deviceId: device.id, channelId: channel.id });
    this.deps.outbox.disconnect(channel.id);
  }

  /** Takes a record off the list; shared with the sweeps (cleanup, certificate expiry). */
  removeRecord(device: DeviceRecord, why: NonNullable<DeviceRecord['removedWhy']>, specId: string): void {
    device.listed = false;
    device.deletePending = false;
    device.removedAtMs = this.now;
    device.removedWhy = why;
    this.push.answered(device.id);
    this.deps.store.saveDevice(device);
    this.deps.log.append({ type: 'device.removed', deviceId: device.id, why: why as 'wipe', specId });
  }

  setState(device: DeviceRecord, to: ManagementState): void {
    if (device.managementState === to) return;
    const from = device.managementState;
    device.managementState = to;
    this.deps.log.append({ type: 'device.managementState', deviceId: device.id, from, to });
  }
}
