import type { Emulator } from '../../emulator/emulator.ts';
import type { FleetEvent } from '../../sim/events.ts';
import type { DeviceTimelineEntry } from './results.ts';

function describe(e: FleetEvent): string {
  const { atMs: _a, seq: _s, type, ...rest } = e as FleetEvent & Record<string, unknown>;
  const detail = Object.entries(rest)
    .filter(([k]) => k !== 'deviceId' && k !== 'serialNumber')
    .map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(' ');
  return detail ? `${type} ${detail}` : type;
}

/** Each device's story, by serial number, from the event log (routine check-ins and pushes left out). */
export function deviceTimelines(emulator: Emulator): Record<string, DeviceTimelineEntry[]> {
  const serialOf = new Map<string, string>();
  for (const d of emulator.service.devices.values()) serialOf.set(d.id, d.identity.serialNumber);
  const out: Record<string, DeviceTimelineEntry[]> = {};
  for (const e of emulator.log.storyEvents()) {
    const r = e as { deviceId?: string | null; serialNumber?: string };
    const serial = r.serialNumber ?? (r.deviceId ? serialOf.get(r.deviceId) : undefined);
    if (!serial) continue;
    const entries = out[serial] ?? [];
    entries.push({ at: new Date(e.atMs).toISOString(), event: describe(e) });
    out[serial] = entries;
  }
  return out;
}
