import Database from 'better-sqlite3';
import { readSavedAgents } from '../../agent/runtime/agent-store.ts';
import { commandKey } from '../../broker/service/lifecycle.ts';
import { FINAL_ACTION_STATES } from '../../broker/service/registry.ts';
import type { ActionRecord, DeviceRecord, DistributiveOmit } from '../../broker/service/types.ts';
import type { Command } from '../../sim/command.ts';

/** What the admin asked for one device, and how often the API said yes. */
export interface Requested {
  serialNumber: string;
  command: DistributiveOmit<Command, 'id'>;
  protectedWipe: boolean;
  accepted: number;
}

/** A campaign's verdict for one seed: every count but the first three must be zero. */
export interface Figures {
  devices: number;
  enrolled: number;
  actionsRequested: number;
  actionsFinal: number;
  actionsLost: number;
  actionsDuplicated: number;
  actionsStuck: number;
  devicesDuplicated: number;
  protectedWipes: number;
  protectedWipesCircumvented: number;
  /** Why each nonzero count is nonzero, for the report. */
  problems: string[];
}

function docs<T>(path: string, table: string): T[] {
  const db = new Database(path, { readonly: true });
  try {
    return (db.prepare(`SELECT doc FROM ${table}`).all() as { doc: string }[]).map(
      (r) => JSON.parse(r.doc) as T,
    );
  } finally {
    db.close();
  }
}

/** Reads both stores after a clean stop and counts what was lost, doubled, stuck or circumvented. */
export function measure(
  serviceDb: string,
  agentsDb: string,
  fleetSize: number,
  requested: Requested[],
): Figures {
  const devices = docs<DeviceRecord>(serviceDb, 'devices');
  const actions = docs<ActionRecord>(serviceDb, 'actions');
  const agentsDbHandle = new Database(agentsDb, { readonly: true });
  const agents = readSavedAgents(agentsDbHandle);
  agentsDbHandle.close();
  const problems: string[] = [];
  const recordsOf = new Map<string, DeviceRecord[]>();
  for (const d of devices)
    recordsOf.set(d.identity.serialNumber, [...(recordsOf.get(d.identity.serialNumber) ?? []), d]);
  // A device has one record per enrollment: two listed at once, or two from one request, are doubles.
  // (A device wiped at setup enrolls again, D-7: a new request, and the old record is off the list.)
  let devicesDuplicated = 0;
  for (const [serial, rs] of recordsOf) {
    const listed = rs.filter((d) => d.listed).length;
    const requests = new Set(rs.map((d) => d.enrollRequestId ?? d.id));
    const doubles = Math.max(listed - 1, 0) + (rs.length - requests.size);
    if (doubles > 0)
      problems.push(
        `${serial}: ${rs.length} records, ${listed} listed, ${requests.size} enrollment requests`,
      );
    devicesDuplicated += doubles;
  }

  let lost = 0;
  let duplicated = 0;
  let circumvented = 0;
  for (const r of requested.filter((q) => q.accepted > 0)) {
    const ids = new Set((recordsOf.get(r.serialNumber) ?? []).map((d) => d.id));
    const key = commandKey({ id: '', ...r.command } as Command);
    const matching = actions.filter((a) => ids.has(a.deviceId) && commandKey(a.command) === key);
    if (matching.length === 0) {
      lost++;
      problems.push(`${r.serialNumber}: ${key} accepted ${r.accepted}× but never recorded`);
    }
    if (matching.length > 1) {
      duplicated += matching.length - 1;
      problems.push(`${r.serialNumber}: ${key} recorded ${matching.length}×`);
    }
    if (r.protectedWipe) {
      const agent = agents.find((a) => a.identity.serialNumber === r.serialNumber);
      const done = matching.some((a) => a.state === 'done');
      if (!done || agent?.state.management.enrolled !== false) {
        circumvented++;
        problems.push(
          `${r.serialNumber}: protected wipe ${matching.map((a) => a.state).join('/') || 'missing'}, device enrolled=${agent?.state.management.enrolled}`,
        );
      }
    }
  }
  const open = actions.filter((a) => !FINAL_ACTION_STATES.includes(a.state));
  for (const a of open) problems.push(`action ${a.id} (${a.kind}) still ${a.state}`);
  return {
    devices: fleetSize,
    enrolled: recordsOf.size,
    actionsRequested: requested.filter((q) => q.accepted > 0).length,
    actionsFinal: actions.length - open.length,
    actionsLost: lost,
    actionsDuplicated: duplicated,
    actionsStuck: open.length,
    devicesDuplicated,
    protectedWipes: requested.filter((q) => q.protectedWipe && q.accepted > 0).length,
    protectedWipesCircumvented: circumvented,
    problems,
  };
}
