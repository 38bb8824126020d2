import type { FleetEvent } from '../../../sim/events.ts';
import type { PlatformId } from '../../../sim/platforms/types.ts';
import type { TileState } from './states.ts';

/** One device as the fleet view knows it: the simulated device joined with its managedDevice record. */
export interface DeviceRow {
  serialNumber: string;
  deviceId: string | null;
  deviceName: string;
  platform: PlatformId;
  enrollmentType: string;
  userPrincipalName: string;
  state: TileState;
  power: 'on' | 'off';
  network: 'online' | 'offline';
  resetInProgress: boolean;
}

/** A row of GET /sim/fleet/devices. */
export interface SimFleetDevice {
  serialNumber: string;
  managedDeviceId: string | null;
  platform: PlatformId;
  enrollmentType: string;
  power: 'on' | 'off';
  network: 'online' | 'offline';
  resetInProgress: boolean;
}

/** The managedDevice fields the fleet view asks Graph for ($select). */
export const GRAPH_FIELDS = [
  'id',
  'deviceName',
  'serialNumber',
  'userPrincipalName',
  'managementState',
] as const;
export type GraphDeviceSummary = Record<(typeof GRAPH_FIELDS)[number], string>;

/**
 * The fleet as the page holds it, kept current by the event stream. Events that need data the
 * stream does not carry (a new record's name) ask for a reload through `needsReload`.
 */
export class FleetStore {
  private rows = new Map<string, DeviceRow>();
  private bySerialOfDevice = new Map<string, string>();
  /** Serials that once had a record: without one now they are removed, not enrolling. */
  private everEnrolled = new Set<string>();
  version = 0;
  needsReload = false;

  /** Replaces everything from a full load: /sim/fleet/devices joined with Graph's list. */
  load(sim: readonly SimFleetDevice[], graph: readonly GraphDeviceSummary[]): void {
    const records = new Map(graph.map((g) => [g.serialNumber, g]));
    const next = new Map<string, DeviceRow>();
    this.bySerialOfDevice.clear();
    for (const s of sim) {
      const g = records.get(s.serialNumber);
      const old = this.rows.get(s.serialNumber);
      if (g) this.everEnrolled.add(s.serialNumber);
      const deviceId = g?.id ?? s.managedDeviceId;
      if (deviceId) this.bySerialOfDevice.set(deviceId, s.serialNumber);
      next.set(s.serialNumber, {
        serialNumber: s.serialNumber,
        deviceId,
        deviceName: g?.deviceName ?? old?.deviceName ?? s.serialNumber,
        platform: s.platform,
        enrollmentType: s.enrollmentType,
        userPrincipalName: g?.userPrincipalName ?? old?.userPrincipalName ?? '',
        state: g
          ? (g.managementState as TileState)
          : this.everEnrolled.has(s.serialNumber)
            ? 'removed'
            : 'enrolling',
        power: s.power,
        network: s.network,
        resetInProgress: s.resetInProgress,
      });
    }
    this.rows = next;
    this.needsReload = false;
    this.version++;
  }

  all(): DeviceRow[] {
    return [...this.rows.values()];
  }

  get(serialNumber: string): DeviceRow | undefined {
    return this.rows.get(serialNumber);
  }

  serialOf(deviceId: string): string | undefined {
    return this.bySerialOfDevice.get(deviceId);
  }

  /** Applies one event; returns the serial number of the device it concerned, if any. */
  apply(e: FleetEvent): string | undefined {
    const row = this.rowFor(e);
    if (!row) {
      if (e.type === 'device.enrolled') this.needsReload = true;
      return undefined;
    }
    switch (e.type) {
      case 'device.enrolled':
        row.deviceId = e.deviceId;
        row.state = 'discovered';
        this.bySerialOfDevice.set(e.deviceId, row.serialNumber);
        this.everEnrolled.add(row.serialNumber);
        // The stream does not carry the record's name and user: the next reload brings them.
        if (row.deviceName === row.serialNumber) this.needsReload = true;
        break;
      case 'device.managementState':
        row.state = e.to;
        break;
      case 'device.removed':
        row.state = 'removed';
        break;
      case 'agent.power':
        row.power = e.power;
        break;
      case 'agent.network':
        row.network = e.network;
        break;
      case 'agent.model':
        if (e.event.type === 'resetStarted') row.resetInProgress = true;
        else if (['resetCompleted', 'resetRolledBack', 'resetFailed'].includes(e.event.type))
          row.resetInProgress = false;
        break;
      default:
        break;
    }
    this.version++;
    return row.serialNumber;
  }

  private rowFor(e: FleetEvent): DeviceRow | undefined {
    const r = e as { serialNumber?: unknown; deviceId?: unknown };
    if (typeof r.serialNumber === 'string') return this.rows.get(r.serialNumber);
    if (typeof r.deviceId === 'string') {
      const serial = this.bySerialOfDevice.get(r.deviceId);
      return serial ? this.rows.get(serial) : undefined;
    }
    return undefined;
  }
}
