import type { DeviceAgent } from '../../agent/runtime/device-agent.ts';
import type { Initiator } from '../../broker/service/service.ts';
import type { ActionRecord } from '../../broker/service/types.ts';
import type { ActionRequest } from '../../sim/eligibility.ts';
import type { VirtualFleet } from './virtual-fleet.ts';

export const ADMIN: Initiator = { userPrincipalName: 'admin@contoso.com', source: 'admin' };

/** Requests an action for an agent's device as the admin; fails the test if the service refuses. */
export function act(fleet: VirtualFleet, agent: DeviceAgent, request: ActionRequest): ActionRecord {
  const record = fleet.recordOf(agent);
  if (!record) throw new Error(`no record for ${agent.serialNumber}`);
  const result = fleet.server.service.requestAction(record.id, request, ADMIN);
  if (!result.ok) throw new Error(`${agent.serialNumber}: ${result.error.code}: ${result.error.message}`);
  if (!result.value) throw new Error(`${agent.serialNumber}: ${request.action} queued no action`);
  return result.value;
}

/** The action as the service holds it now. */
export function current(fleet: VirtualFleet, action: ActionRecord): ActionRecord {
  return fleet.server.service.actions.get(action.id)!;
}

export function propagationMs(fleet: VirtualFleet, action: ActionRecord): number | null {
  const a = current(fleet, action);
  return a.acknowledgedAtMs === null ? null : a.acknowledgedAtMs - a.requestedAtMs;
}
