import type { Command } from '../../sim/command.ts';
import type { ActionRequest } from '../../sim/eligibility.ts';
import type { ManagementState } from '../../sim/management-state.ts';
import type { ActionKind } from './types.ts';

/**
 * S-1 and S-2 as a table: for each kind of action, the managementState it moves through and the
 * names Graph shows for it (deviceActionResult.actionName, remoteActionAudit.action).
 */
interface Lifecycle {
  graphActionName: string;
  /** actionState pending: queued, not yet delivered. */
  issued: ManagementState | null;
  /** actionState active: the device acknowledged it. */
  pending: ManagementState | null;
  failed: ManagementState | null;
}

export const LIFECYCLE: Readonly<Record<ActionKind, Lifecycle>> = {
  wipe: { graphActionName: 'wipe', issued: 'wipeIssued', pending: 'wipePending', failed: 'wipeFailed' },
  // [design] Fresh Start is a reset: it moves through the wipe states (S-1 names no states of its own).
  freshStart: {
    graphActionName: 'cleanWindowsDevice',
    issued: 'wipeIssued',
    pending: 'wipePending',
    failed: 'wipeFailed',
  },
  retire: {
    graphActionName: 'retire',
    issued: 'retireIssued',
    pending: 'retirePending',
    failed: 'retireFailed',
  },
  sync: { graphActionName: 'syncDevice', issued: null, pending: null, failed: null },
  // D-1: the device stays deletePending until its removal is done.
  deleteRemoval: { graphActionName: 'delete', issued: null, pending: null, failed: null },
};

/** remoteActionAudit.action for an action (Graph's remoteAction enum). */
export function auditActionName(command: Command, kind: ActionKind): string {
  if (kind === 'deleteRemoval') return 'delete';
  switch (command.type) {
    case 'wipe':
      return command.options.keepUserData || command.options.keepEnrollmentData
        ? 'factoryResetKeepEnrollmentData'
        : 'factoryReset';
    case 'retire':
      return 'removeCompanyData';
    case 'freshStart':
      return 'cleanWindowsDevice';
    case 'sync':
      return 'syncDevice';
  }
}

/** The command a request queues; ids come from the service. */
export function commandFor(request: Exclude<ActionRequest, { action: 'delete' }>, id: string): Command {
  switch (request.action) {
    case 'wipe':
      return { id, type: 'wipe', options: { ...request.options } };
    case 'freshStart':
      return { id, type: 'freshStart', keepUserData: request.keepUserData };
    case 'retire':
      return { id, type: 'retire' };
    case 'sync':
      return { id, type: 'sync' };
  }
}

/** Actions D-6 blocks once the primary user is deleted: retire and every kind of wipe. */
export const NEEDS_PRIMARY_USER: readonly ActionKind[] = ['wipe', 'retire', 'freshStart'];

/** What makes two requests the same action: the command without its id, options in a fixed order. */
export function commandKey(command: Command): string {
  const { id: _id, ...rest } = command;
  return JSON.stringify(rest, (_key, value) =>
    value && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)))
      : value,
  );
}
