import type { FleetEvent } from '../../../sim/events.ts';

/** One line of the event log pane; null for events too frequent to be worth a line (check-ins). */
export function eventText(e: FleetEvent, nameOf: (key: string) => string): string | null {
  switch (e.type) {
    case 'action.requested':
      return `${e.initiatedBy} requested ${e.action}${optionsText(e.options)} on ${nameOf(e.deviceId)}`;
    case 'action.refused':
      return `${e.action} on ${nameOf(e.deviceId)} refused: ${e.code} (${e.specId})`;
    case 'action.delivered':
      return `${e.action} delivered to ${nameOf(e.deviceId)}`;
    case 'action.acknowledged':
      return `${nameOf(e.deviceId)} acknowledged ${e.action} after ${minutes(e.propagationMs)}`;
    case 'action.completed':
      return `${e.action} on ${nameOf(e.deviceId)}: ${e.status}${e.reasonCode ? ` (${e.reasonCode})` : ''}${e.rules.length ? ` [${e.rules.join(', ')}]` : ''}`;
    case 'device.enrolled':
      return `${nameOf(e.serialNumber)} enrolled${e.automatic ? ' again at setup' : ''}`;
    case 'device.removed':
      return `${nameOf(e.deviceId)} record removed (${e.why}, ${e.specId})`;
    case 'device.managementState':
      return `${nameOf(e.deviceId)}: ${e.from} → ${e.to}`;
    case 'agent.power':
      return `${nameOf(e.serialNumber)} power ${e.power}`;
    case 'agent.network':
      return `${nameOf(e.serialNumber)} network ${e.network}`;
    case 'push.channel':
      return `push channel ${e.channel} ${e.up ? 'up' : 'down'}`;
    case 'push.suppressed':
      return `push to ${nameOf(e.deviceId)} lost: ${e.channel} is down`;
    case 'agent.model':
      return modelText(e.event, nameOf(e.serialNumber));
    case 'wire.rejected':
    case 'auth.refused':
      return `${e.type}: ${e.reason}`;
    default:
      return null;
  }
}

function modelText(m: Extract<FleetEvent, { type: 'agent.model' }>['event'], name: string): string | null {
  switch (m.type) {
    case 'resetStarted':
      return `${name}: ${m.protectedWipe ? 'protected ' : ''}reset ${m.attempt > 1 ? `resumed (attempt ${m.attempt})` : 'started'}`;
    case 'resetCompleted':
      return `${name}: reset completed [${m.rules.join(', ')}]`;
    case 'resetRolledBack':
      return `${name}: power lost, wipe rolled back (W-PROT-2)`;
    case 'resetFailed':
      return `${name}: reset failed: ${m.reason.message} (${m.reason.specId})`;
    case 'bootFailed':
      return `${name}: cannot start (${m.boot}, ${m.specId})`;
    default:
      return null;
  }
}

function optionsText(options: Record<string, unknown>): string {
  const on = Object.entries(options)
    .filter(([, v]) => v === true)
    .map(([k]) => k);
  return on.length ? ` (${on.join(', ')})` : '';
}

export function minutes(ms: number): string {
  return ms < 60_000 ? `${(ms / 1000).toFixed(0)} s` : `${(ms / 60_000).toFixed(1)} min`;
}
