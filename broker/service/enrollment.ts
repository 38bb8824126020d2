import type { Clock } from '../../sim/clock/types.ts';
import type { DeviceIdentity } from '../../sim/device-identity.ts';
import type { EventLog } from '../../sim/events.ts';
import { PolicyShelf } from '../../sim/policy-shelf.ts';
import { DAY_MS } from '../../sim/time-units.ts';
import type { EnrollRequest } from '../../sim/wire/schemas.ts';
import type { Directory } from './directory.ts';
import type { IdSource } from './ids.ts';
import type { Registry } from './registry.ts';
import type { ChannelRecord, DeviceRecord, Outbox, Secrets, ServiceStore } from './types.ts';

/** What tells two devices with one serial number apart. */
const IDENTITY_FIELDS = ['platform', 'deviceName', 'model', 'manufacturer', 'wiFiMacAddress'] as const;

/** D-8: the management certificate lasts a year; a device that keeps checking in renews it. */
export const CERTIFICATE_LIFETIME_MS = 365 * DAY_MS;

export interface EnrollmentDeps {
  clock: Clock;
  store: ServiceStore;
  log: EventLog;
  outbox: Outbox;
  secrets: Secrets;
  ids: IdSource;
  registry: Registry;
  /** The service's own key for deriving enrollment tokens (kept in its store). */
  tokenKey: string;
  directory: Directory;
}

/**
 * The enrollment exchange (design.md, Wire protocol step 0), idempotent: a device keeps its
 * request id until it has stored the answer, so a repeat — the answer was lost, the service or
 * the device crashed in between — gets the same record back with fresh credentials for the same
 * channel, never a second record. A new request id is a new enrollment (D-4, D-7, D-9).
 */
export class EnrollmentDesk {
  private readonly policies = new PolicyShelf();

  constructor(private readonly deps: EnrollmentDeps) {}

  private get now(): number {
    return this.deps.clock.now();
  }

  handle(clientId: string, request: EnrollRequest): void {
    const { identity } = request;
    const { directory, log, outbox } = this.deps;
    const reply = (message: Parameters<Outbox['toEnrollee']>[1]) => outbox.toEnrollee(clientId, message);
    // D-7: at setup, an ADE device enrolls by itself only while Apple Business Manager assigns it.
    if (request.automatic && !directory.isAbmAssigned(identity.serialNumber)) {
      const reason = 'not assigned to this MDM server in Apple Business Manager';
      log.append({ type: 'device.enrollRefused', serialNumber: identity.serialNumber, reason });
      reply({ type: 'enrollRefused', requestId: request.requestId, reason });
      return;
    }
    const device = this.deps.store.transaction(() => this.repeatOf(request) ?? this.enrollNew(request));
    const token = this.tokenOf(request, device.channelId);
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

  /**
   * The record an earlier copy of this request made, while its device has not yet used the answer
   * (never checked in): a device that has its credentials never asks again, so a repeat after that
   * is not the device's and gets a record of its own. Null when there is none.
   */
  private repeatOf(request: EnrollRequest): DeviceRecord | null {
    const { registry, log } = this.deps;
    const earlier = registry.ofEnrollRequest(request.requestId, request.identity.serialNumber);
    if (!earlier || earlier.lastSyncAtMs !== null || earlier.removedAtMs !== null) return null;
    const channel = registry.channel(earlier.channelId);
    if (!channel || channel.revoked) return null;
    log.append({
      type: 'device.enrollRepeated',
      deviceId: earlier.id,
      requestId: request.requestId,
      serialNumber: request.identity.serialNumber,
    });
    return earlier;
  }

  /**
   * A channel's token, derived from a key only the service holds: the same request for the same
   * channel always gets the same token (an answer to an attempt the device gave up on still works,
   * and nothing is rotated under it); another channel never shares it.
   */
  private tokenOf(request: EnrollRequest, channelId: string): string {
    return this.deps.secrets.hash(
      `${this.deps.tokenKey}\n${request.requestId}\n${request.identity.serialNumber}\n${channelId}`,
    );
  }

  private enrollNew(request: EnrollRequest): DeviceRecord {
    const { identity } = request;
    const { registry, directory, ids } = this.deps;
    const channelId = `dev-${ids.next().replaceAll('-', '').slice(0, 20)}`;
    const channel: ChannelRecord = {
      id: channelId,
      tokenHash: this.deps.secrets.hash(this.tokenOf(request, channelId)),
      revoked: false,
      // Stryker disable next-line StringLiteral: newRecord sets deviceId to the new record's id before the channel is stored or read
      deviceId: '',
      certificateExpiresAtMs: this.now + CERTIFICATE_LIFETIME_MS,
    };
    // A device enrolling again with nothing on it gets what its serial number had before (W-5, D-7).
    const previous = registry.latestOfSerial(identity.serialNumber);
    const policies = request.policies.length > 0 ? request.policies : (previous?.assignedPolicies ?? []);
    const record = this.newRecord(identity, channel, request.facts, request.requestId);
    record.assignedPolicies = policies.map((p) => this.policies.share(p));
    registry.addChannel(channel);
    registry.addDevice(record);
    directory.registerAzureAdDevice(record.azureADDeviceId, record.id);
    // A serial still managed under another identity: two devices claim one serial number (two fleets
    // made from one seed, say). Both are kept — Intune would — but the log says so.
    const differs = previous?.listed
      ? IDENTITY_FIELDS.filter((f) => previous.identity[f] !== identity[f])
      : [];
    if (previous && differs.length > 0) {
      this.deps.log.append({
        type: 'device.serialConflict',
        serialNumber: identity.serialNumber,
        deviceId: record.id,
        previousId: previous.id,
        differs,
      });
    }
    if (
      identity.enrollmentType === 'automatedDeviceEnrollment' &&
      !directory.abm.has(identity.serialNumber)
    ) {
      directory.setAbmAssignment(identity.serialNumber, true);
    }
    if (identity.user) directory.ensureUser(identity.user.userPrincipalName, identity.user.displayName);
    this.deps.log.append({
      type: 'device.enrolled',
      deviceId: record.id,
      channelId: channel.id,
      serialNumber: identity.serialNumber,
      platform: identity.platform,
      automatic: request.automatic,
    });
    return record;
  }

  /** D-4: a cleaned-up device whose certificate is still valid checks in and reappears as a new record. */
  reappear(old: DeviceRecord, channel: ChannelRecord): DeviceRecord {
    const record = this.newRecord(old.identity, channel, old.facts, null);
    record.assignedPolicies = old.assignedPolicies;
    record.reappearedFrom = old.id;
    this.deps.store.saveChannel(channel);
    this.deps.registry.addDevice(record);
    this.deps.directory.registerAzureAdDevice(record.azureADDeviceId, record.id);
    this.deps.log.append({
      type: 'device.reappeared',
      deviceId: record.id,
      previousId: old.id,
      specId: 'D-4',
    });
    return record;
  }

  private newRecord(
    identity: DeviceIdentity,
    channel: ChannelRecord,
    facts: DeviceRecord['facts'],
    enrollRequestId: string | null,
  ): DeviceRecord {
    const { ids } = this.deps;
    const record: DeviceRecord = {
      id: ids.next(),
      channelId: channel.id,
      identity,
      enrolledAtMs: this.now,
      lastSyncAtMs: null,
      azureADDeviceId: ids.next(),
      managementState: 'discovered',
      listed: true,
      removedAtMs: null,
      removedWhy: null,
      // Stryker disable next-line ArrayDeclaration: both callers (enrollNew, reappear) replace assignedPolicies before the record is stored
      assignedPolicies: [],
      facts,
      actionIds: [],
      enrollRequestId,
      reappearedFrom: null,
    };
    channel.deviceId = record.id;
    return record;
  }
}
