import type { Clock } from '../../sim/clock/types.ts';
import type { Command } from '../../sim/command.ts';
import type { EventLog } from '../../sim/events.ts';
import type { ManagementState } from '../../sim/management-state.ts';
import type { ReasonCode } from '../../sim/reasons.ts';
import { DAY_MS } from '../../sim/time-units.ts';
import type { DeviceFacts, DeviceUp } from '../../sim/wire/schemas.ts';
import type { Directory } from './directory.ts';
import { CERTIFICATE_LIFETIME_MS } from './enrollment.ts';
import type { IdSource } from './ids.ts';
import { LIFECYCLE } from './lifecycle.ts';
import type { PushNotifier } from './push.ts';
import type { Registry } from './registry.ts';
import { resultEffect } from './results.ts';
import type {
  ActionKind,
  ActionRecord,
  ActionSource,
  ChannelRecord,
  DeviceRecord,
  Outbox,
  RemovedWhy,
  ServiceStore,
} from './types.ts';

const CERTIFICATE_RENEW_BEFORE_MS = 60 * DAY_MS;
/** D-1: a removal that keeps failing the same way is tried this many times, then left failed (not retried forever). */
export const REMOVAL_ATTEMPTS_MAX = 5;
/** How long (real time) a device that left management keeps its connection after its final acknowledgement. */
export const DISCONNECT_AFTER_MS = 1_000;

/** Which reason ends the open actions of a record that leaves the list, by why it left. */
export const CANCEL_REASON: Readonly<Record<RemovedWhy, ReasonCode>> = {
  wipe: 'canceledDeviceLeftManagement',
  retire: 'canceledDeviceLeftManagement',
  freshStart: 'canceledDeviceLeftManagement',
  delete: 'canceledDeviceDeleted',
  cleanup: 'canceledRecordRemoved',
  certificateExpired: 'canceledRecordRemoved',
};
/** How a device that left management through a command is recorded, by the command's kind. */
const LEFT_THROUGH: Readonly<Record<ActionKind, { why: RemovedWhy; specId: string }>> = {
  wipe: { why: 'wipe', specId: 'W-1' },
  retire: { why: 'retire', specId: 'R-1' },
  freshStart: { why: 'freshStart', specId: 'F-3' },
  deleteRemoval: { why: 'delete', specId: 'D-1' },
  // [design] a device that reports itself unenrolled after a sync was retired by other means.
  sync: { why: 'retire', specId: 'R-1' },
};

/** Whether two fact sets say the same (flat values, and arrays of them, compared item by item). */
function sameFacts(a: DeviceFacts, b: DeviceFacts): boolean {
  // for…in over plain JSON objects, not Object.keys: three arrays a check-in, for a yes or no.
  let inB = 0;
  for (const k in b) {
    inB++;
    const key = k as keyof DeviceFacts;
    const x = a[key];
    const y = b[key];
    if (x === y) continue;
    if (!Array.isArray(x) || !Array.isArray(y) || x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  }
  let inA = 0;
  for (const _ in a) inA++;
  return inA === inB;
}

/** What the desk needs of the service: its parts, and the record changes only the service makes. */
export interface DeskDeps {
  clock: Clock;
  store: ServiceStore;
  log: EventLog;
  outbox: Outbox;
  ids: IdSource;
  registry: Registry;
  push: PushNotifier;
  directory: Directory;
  /** Commands per answer to a check-in. */
  pageSize: number;
  setState(device: DeviceRecord, to: ManagementState): void;
  removeRecord(device: DeviceRecord, why: RemovedWhy, specId: string): void;
  queue(
    device: DeviceRecord,
    kind: ActionKind,
    command: Command,
    by: { userPrincipalName: string; source: ActionSource },
  ): ActionRecord;
}

/**
 * The service's answers to what devices say: a check-in gets a page of the device's open actions
 * (pending and active alike — the device answers a repeat from its inbox); an acknowledgement
 * makes an action active once; a result is committed once and acknowledged every time it comes,
 * after which a device that left management loses its credentials (results.ts says what a result
 * does to the record).
 */
export class DeviceDesk {
  constructor(private readonly d: DeskDeps) {}

  /** The open actions a check-in may carry: while deletePending only the removal (D-1). */
  private deliverable(device: DeviceRecord): ActionRecord[] {
    const open = this.d.registry.openActionsOf(device);
    return device.managementState === 'deletePending' ? open.filter((a) => a.kind === 'deleteRemoval') : open;
  }

  checkIn(
    device: DeviceRecord,
    channel: ChannelRecord,
    message: Extract<DeviceUp, { type: 'checkIn' }>,
  ): void {
    this.d.push.answered(device.id);
    const deliverable = this.deliverable(device);
    const page = deliverable.slice(0, this.d.pageSize);
    const firstDeliveries: ActionRecord[] = [];
    this.d.store.transaction(() => {
      device.lastSyncAtMs = this.d.clock.now();
      // Mostly the same facts as last time: the record keeps its own copy, and the message's dies young.
      if (!sameFacts(device.facts, message.facts)) device.facts = message.facts;
      if (device.managementState === 'discovered') this.d.setState(device, 'managed');
      if (channel.certificateExpiresAtMs - this.d.clock.now() < CERTIFICATE_RENEW_BEFORE_MS) {
        channel.certificateExpiresAtMs = this.d.clock.now() + CERTIFICATE_LIFETIME_MS; // [design] renewal while in touch
        this.d.store.saveChannel(channel);
      }
      for (const action of page) {
        if (action.deliveredAtMs !== null) continue; // sent before: the device answers a repeat itself
        action.deliveredAtMs = this.d.clock.now();
        action.lastUpdatedAtMs = this.d.clock.now();
        this.d.store.saveAction(action);
        firstDeliveries.push(action);
      }
      this.d.store.saveDevice(device);
    });
    this.d.log.append({
      type: 'device.checkIn',
      deviceId: device.id,
      reason: message.reason,
      dueAtMs: message.dueAtMs ?? message.sentAtMs,
    });
    for (const a of firstDeliveries) {
      this.d.log.append({
        type: 'action.delivered',
        deviceId: device.id,
        actionId: a.id,
        action: LIFECYCLE[a.kind].graphActionName,
      });
    }
    // W-5: policies go back to a managed device that lacks them.
    // A device holds a handful of policies: a scan, not a Set made at every check-in (a Set only
    // for a long list, so a device sending hundreds cannot make the scan quadratic).
    const ids = message.facts.policyIds;
    const held = ids.length > 16 ? new Set(ids) : null;
    const missing =
      message.facts.enrolled &&
      device.assignedPolicies.some((p) => !(held ? held.has(p.id) : ids.includes(p.id)));
    if (page.length > 0 || missing) {
      this.d.outbox.toDevice(channel.id, {
        type: 'commands',
        commands: page.map((a) => a.command),
        more: deliverable.length > page.length,
        policies: missing ? device.assignedPolicies : null,
      });
    }
  }

  acknowledge(device: DeviceRecord, commandId: string): void {
    const action = this.d.registry.action(commandId);
    if (!action || action.deviceId !== device.id || action.state !== 'pending') return; // repeats are harmless
    this.d.store.transaction(() => {
      action.state = 'active';
      action.acknowledgedAtMs = this.d.clock.now();
      action.lastUpdatedAtMs = this.d.clock.now();
      this.d.store.saveAction(action);
      const pending = LIFECYCLE[action.kind].pending;
      // Only the state can change here: a sync's acknowledgement leaves the record as it was.
      if (pending && device.managementState !== 'deletePending' && device.managementState !== pending) {
        this.d.setState(device, pending);
        this.d.store.saveDevice(device);
      }
    });
    this.d.log.append({
      type: 'action.acknowledged',
      deviceId: device.id,
      actionId: action.id,
      action: LIFECYCLE[action.kind].graphActionName,
      propagationMs: this.d.clock.now() - action.requestedAtMs,
    });
  }

  /** A result, committed once; a repeat (or one for an action that already ended) is only acknowledged again. */
  complete(
    device: DeviceRecord,
    channel: ChannelRecord,
    message: Extract<DeviceUp, { type: 'result' }>,
  ): void {
    const action = this.d.registry.action(message.commandId);
    if (
      !action ||
      action.deviceId !== device.id ||
      !(action.state === 'pending' || action.state === 'active')
    ) {
      this.d.outbox.toDevice(channel.id, { type: 'resultAck', commandIds: [message.commandId] });
      return;
    }
    // A result acknowledges its command if nothing did before: a device whose command ends at once
    // reports only the result (W-7's `active` comes with it), and a lost acknowledgement is covered.
    // Both in one transaction: the message is stored whole or not at all.
    const effect = this.d.store.transaction(() => {
      if (action.state === 'pending') this.acknowledge(device, action.id);
      const effect = resultEffect({
        kind: action.kind,
        status: message.status,
        stillEnrolled: message.facts.enrolled,
        managementState: device.managementState,
      });
      action.state = message.status;
      action.completedAtMs = this.d.clock.now();
      action.lastUpdatedAtMs = this.d.clock.now();
      action.reasonCode = message.reasonCode ?? null;
      action.rules = message.rules;
      this.d.store.saveAction(action);
      device.facts = message.facts;
      // The device left Azure AD (a retire's "Azure AD record removed", a wipe): so does its directory record.
      if (message.facts.azureAd === 'none') {
        this.d.directory.removeAzureAdDevice(
          device.azureADDeviceId,
          action.kind === 'retire' ? 'R-1' : 'W-1',
        );
      }
      if (effect.kind === 'leave') {
        const { why, specId } = LEFT_THROUGH[action.kind];
        this.d.removeRecord(device, why, specId);
        channel.revoked = true;
        this.d.store.saveChannel(channel);
      } else if (
        effect.kind === 'retryRemoval' &&
        this.d.registry.actionsOf(device).filter((a) => a.kind === 'deleteRemoval').length <
          REMOVAL_ATTEMPTS_MAX
      ) {
        this.d.queue(
          device,
          'deleteRemoval',
          { ...action.command, id: this.d.ids.next() },
          {
            userPrincipalName: action.initiatedBy,
            source: action.source,
          },
        );
      } else if (effect.kind === 'setState') this.d.setState(device, effect.to);
      this.d.store.saveDevice(device);
      return effect;
    });
    this.d.log.append({
      type: 'action.completed',
      deviceId: device.id,
      actionId: action.id,
      action: LIFECYCLE[action.kind].graphActionName,
      status: message.status,
      ...(message.reasonCode ? { reasonCode: message.reasonCode } : {}),
      rules: message.rules,
    });
    // Committed: the device may forget the result; one that left management may then forget its credentials.
    this.d.outbox.toDevice(channel.id, { type: 'resultAck', commandIds: [action.id] });
    if (effect.kind === 'leave') {
      this.d.log.append({ type: 'credentials.revoked', deviceId: device.id, channelId: channel.id });
      // Dropped a moment later, not at once: the acknowledgement just sent must reach the device first
      // (on the virtual clock time moves only once it has), or the device would learn of the commit
      // only by being refused at its next try.
      const { clock } = this.d;
      clock.schedule(
        clock.now() + clock.simMsOfRealMs(DISCONNECT_AFTER_MS),
        `service:disconnect:${channel.id}`,
        () => this.d.outbox.disconnect(channel.id),
      );
    }
  }
}
