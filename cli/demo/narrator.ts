import type { FleetEvent } from '../../sim/events.ts';

/**
 * What `--plain` says: one line per event of a device the demo acts on — sent, delivered,
 * acknowledged, power cut, resumed, rolled back, done — each said once, in order.
 */
export class Narrator {
  /** Watched devices by managedDevice id and by serial number, with the name to say. */
  private names = new Map<string, string>();

  watch(deviceId: string, serialNumber: string, deviceName: string): void {
    this.names.set(deviceId, deviceName);
    this.names.set(serialNumber, deviceName);
  }

  /** The line for an event, or null when it is not about a watched device or not worth a line. */
  line(e: FleetEvent): string | null {
    const key = 'deviceId' in e && e.deviceId ? e.deviceId : 'serialNumber' in e ? e.serialNumber : null;
    const name = key ? this.names.get(key) : undefined;
    if (!name) return null;
    const text = say(e, name);
    return text ? `${new Date(e.atMs).toISOString().slice(11, 19)}  ${text}` : null;
  }
}

const minutes = (ms: number) => `${(ms / 60_000).toFixed(1)} min`;

function say(e: FleetEvent, name: string): string | null {
  switch (e.type) {
    case 'action.requested': {
      const protectedWipe = e.options.useProtectedWipe === true;
      return `${protectedWipe ? 'protected wipe' : e.action} sent to ${name}`;
    }
    case 'action.delivered':
      return `${e.action} delivered to ${name}`;
    case 'action.acknowledged':
      return `${name} acknowledged the ${e.action} after ${minutes(e.propagationMs)}`;
    case 'agent.power':
      return e.power === 'off' ? `power cut on ${name}` : `power restored on ${name}`;
    case 'agent.model':
      switch (e.event.type) {
        case 'resetStarted':
          return e.event.attempt === 1
            ? `${name}: ${e.event.protectedWipe ? 'protected ' : ''}reset started`
            : `${name}: reset resumed after the power came back (attempt ${e.event.attempt}, W-PROT-1)`;
        case 'resetRolledBack':
          return `${name}: power lost during an unprotected wipe: rolled back (W-PROT-2)`;
        case 'resetCompleted':
          return `${name}: reset completed (${e.event.rules.join(', ')})`;
        default:
          return null;
      }
    case 'action.completed':
      return `${e.action} on ${name}: ${e.status}${e.reasonCode ? ` (${e.reasonCode})` : ''}`;
    case 'device.removed':
      return `${name}: record removed from Intune (${e.why}, ${e.specId})`;
    default:
      return null;
  }
}
