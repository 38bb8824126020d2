import type { DeviceAgent } from '../agent/runtime/device-agent.ts';
import type { EventLog } from '../sim/events.ts';

/** Where each device of an agents process stands, counted for the progress line and the summary. */
export interface FleetCounts {
  devices: number;
  /** Holding credentials and enrolled. */
  enrolled: number;
  /** Enrolled and connected now. */
  connected: number;
  /** Out of management, its final result not yet acknowledged. */
  leaving: number;
  /** Not enrolled and not done: still trying to enroll (or waiting at setup). */
  waiting: number;
  /** Out of management and released: nothing more to do. */
  released: number;
  /** Results reported and not yet acknowledged by the service. */
  unacknowledgedResults: number;
}

export function countFleet(agents: readonly DeviceAgent[]): FleetCounts {
  const c: FleetCounts = {
    devices: agents.length,
    enrolled: 0,
    connected: 0,
    leaving: 0,
    waiting: 0,
    released: 0,
    unacknowledgedResults: 0,
  };
  for (const a of agents) {
    const enrolled = a.device.state.management.enrolled;
    c.unacknowledgedResults += a.unacknowledgedResults;
    if (a.credentials && enrolled) {
      c.enrolled++;
      if (a.connected) c.connected++;
    } else if (a.credentials) c.leaving++;
    else if (enrolled || a.device.state.boot === 'setup') c.waiting++;
    else c.released++;
  }
  return c;
}

export function progressLine(c: FleetCounts): string {
  const parts = [
    `${c.enrolled}/${c.devices} enrolled`,
    `${c.connected} connected`,
    ...(c.waiting ? [`${c.waiting} still enrolling`] : []),
    ...(c.leaving ? [`${c.leaving} reporting a final result`] : []),
    ...(c.released ? [`${c.released} out of management`] : []),
    ...(c.unacknowledgedResults ? [`${c.unacknowledgedResults} results awaiting acknowledgement`] : []),
  ];
  return `fleetsim agents: ${parts.join(', ')}`;
}

/** The last reason each device gave for retrying, so the summary can say why a device is not enrolled. */
export function trackRetryReasons(log: EventLog): Map<string, string> {
  const reasons = new Map<string, string>();
  log.on((e) => {
    if (e.type === 'agent.retry')
      reasons.set(e.serialNumber, `${e.step}: ${e.reason} (attempt ${e.attempt})`);
    else if (e.type === 'wire.rejected' && e.topic === '(connect)') {
      // An enrolling client is named enroll-<serial>-<n>.
      const serial = /^enroll-(.+)-\d+$/.exec(e.clientId)?.[1];
      if (serial) reasons.set(serial, `enrollment refused: ${e.reason} (check --enrollment-token)`);
    }
  });
  return reasons;
}

/** The closing summary: counts, and every device still not enrolled with the last reason it met. */
export function summary(agents: readonly DeviceAgent[], reasons: ReadonlyMap<string, string>): string[] {
  const c = countFleet(agents);
  const lines = [progressLine(c)];
  const stuck = agents.filter((a) => !a.credentials && a.device.state.management.enrolled);
  const shown = stuck.slice(0, 20);
  for (const a of shown) {
    const why = reasons.get(a.serialNumber) ?? 'no answer yet';
    lines.push(`  not enrolled: ${a.serialNumber} (${a.device.identity.platform}): ${why}`);
  }
  if (stuck.length > shown.length) lines.push(`  … and ${stuck.length - shown.length} more not enrolled`);
  return lines;
}
