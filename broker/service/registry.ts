import type { ActionState } from '../../sim/management-state.ts';
import type { ActionRecord, ChannelRecord, DeviceRecord, ServiceSnapshot, ServiceStore } from './types.ts';

const requestKey = (requestId: string, serialNumber: string) => `${requestId}\n${serialNumber}`;

/** Action states that are the end of an action: nothing moves it again (S-2). */
export const FINAL_ACTION_STATES: readonly ActionState[] = ['done', 'failed', 'notSupported', 'canceled'];
export const isOpen = (a: ActionRecord) => a.state === 'pending' || a.state === 'active';

/**
 * The service's records in memory, with the indexes it looks them up by, each new one inserted
 * into the store (which refuses a duplicate id) in the caller's transaction.
 */
export class Registry {
  private readonly devices = new Map<string, DeviceRecord>();
  private readonly channels = new Map<string, ChannelRecord>();
  private readonly actions = new Map<string, ActionRecord>();
  /** The newest record of each serial number (re-enrollment looks here, not through every record). */
  private readonly latestBySerial = new Map<string, DeviceRecord>();
  /** The record each enrollment request made, so a repeated request gets the same record back. */
  private readonly byEnrollRequest = new Map<string, DeviceRecord>();

  constructor(
    private readonly store: ServiceStore,
    snap: ServiceSnapshot,
  ) {
    for (const d of snap.devices) this.indexDevice(d);
    for (const c of snap.channels) this.channels.set(c.id, c);
    for (const a of snap.actions) this.actions.set(a.id, a);
  }

  private indexDevice(d: DeviceRecord): void {
    this.devices.set(d.id, d);
    this.latestBySerial.set(d.identity.serialNumber, d);
    if (d.enrollRequestId)
      this.byEnrollRequest.set(requestKey(d.enrollRequestId, d.identity.serialNumber), d);
  }

  addDevice(d: DeviceRecord): void {
    this.store.createDevice(d);
    this.indexDevice(d);
  }
  addChannel(c: ChannelRecord): void {
    this.store.createChannel(c);
    this.channels.set(c.id, c);
  }
  addAction(a: ActionRecord): void {
    this.store.createAction(a);
    this.actions.set(a.id, a);
  }

  device(id: string): DeviceRecord | undefined {
    return this.devices.get(id);
  }
  channel(id: string): ChannelRecord | undefined {
    return this.channels.get(id);
  }
  action(id: string): ActionRecord | undefined {
    return this.actions.get(id);
  }
  latestOfSerial(serialNumber: string): DeviceRecord | undefined {
    return this.latestBySerial.get(serialNumber);
  }
  /** The record an enrollment request of this serial number made (another serial's request is another key). */
  ofEnrollRequest(requestId: string, serialNumber: string): DeviceRecord | undefined {
    return this.byEnrollRequest.get(requestKey(requestId, serialNumber));
  }

  allDevices(): ReadonlyMap<string, DeviceRecord> {
    return this.devices;
  }
  allActions(): ReadonlyMap<string, ActionRecord> {
    return this.actions;
  }
  allChannels(): ReadonlyMap<string, ChannelRecord> {
    return this.channels;
  }

  actionsOf(device: DeviceRecord): ActionRecord[] {
    return device.actionIds.map((id) => this.actions.get(id)).filter((a): a is ActionRecord => !!a);
  }

  openActionsOf(device: DeviceRecord): ActionRecord[] {
    return this.actionsOf(device).filter(isOpen);
  }
}
