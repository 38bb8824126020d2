import { resetVariantOf } from '../../../agent/model/actions.ts';
import { applyOp, type EffectRow, rowApplies } from '../../../agent/model/effects/ops.ts';
import { RESET_RULES } from '../../../agent/model/effects/reset-rules.ts';
import { RETIRE_RULES } from '../../../agent/model/effects/retire-rules.ts';
import type { Command } from '../../../sim/command.ts';
import { deleteRemovalCommand } from '../../../sim/delete-removal.ts';
import type { DeviceIdentity } from '../../../sim/device-identity.ts';
import type { DeviceState } from '../../../sim/device-state.ts';
import type { ActionKind, WipeChoices } from './actions.ts';
import { diffStates, type StateChange } from './state-diff.ts';

/** An action as the page sent it: enough to know which effect table the device completes it with. */
export interface SentAction {
  kind: ActionKind;
  wipe: WipeChoices;
  freshStartKeepUserData: boolean;
}

/** The command the device runs for a sent action (a delete reaches it as D-1's removal command). */
function commandOf(sent: SentAction, identity: DeviceIdentity): Command | null {
  switch (sent.kind) {
    case 'wipe':
      return {
        id: '',
        type: 'wipe',
        options: sent.wipe.keepEnrollmentAndUser ? { keepEnrollmentData: true, keepUserData: true } : {},
      };
    case 'freshStart':
      return { id: '', type: 'freshStart', keepUserData: sent.freshStartKeepUserData };
    case 'retire':
      return { id: '', type: 'retire' };
    case 'delete':
      return deleteRemovalCommand(identity, '');
    case 'sync':
      return null; // S-6: the check-in itself is the effect; no table
  }
}

/** The effect table the model completes the command with: the same choice agent/model/actions.ts makes. */
export function effectTable(sent: SentAction, identity: DeviceIdentity): readonly EffectRow[] {
  const command = commandOf(sent, identity);
  if (!command || command.type === 'sync') return [];
  return command.type === 'retire' ? RETIRE_RULES : RESET_RULES[resetVariantOf(command)];
}

/**
 * Which rule changed what. The model's result names only the rules that applied; to say which
 * change each caused, the table's rows are replayed one at a time on the state before the action,
 * with the model's own row test and operation (conditions read the state before, as applyRows
 * does), and each row's changes are keyed like the drawer's diff. Only rules the device reported
 * as applied label anything.
 */
export function rulesByChange(
  table: readonly EffectRow[],
  identity: DeviceIdentity,
  before: DeviceState,
  reported: readonly string[],
): Map<string, string[]> {
  const byKey = new Map<string, string[]>();
  const draft = structuredClone(before);
  for (const row of table) {
    if (!reported.includes(row.specId) || !rowApplies(row, identity, before)) continue;
    const previous = structuredClone(draft);
    applyOp(draft, row.op);
    for (const c of diffStates(previous, draft)) {
      const ids = byKey.get(c.key) ?? [];
      if (!ids.includes(row.specId)) ids.push(row.specId);
      byKey.set(c.key, ids);
    }
  }
  return byKey;
}

export type LabelledChange = StateChange & { rules: string[] };

/** The drawer's diff of the last action, each change with the rules that caused it (none: not the action's). */
export function labelChanges(
  sent: SentAction,
  identity: DeviceIdentity,
  before: DeviceState,
  now: DeviceState,
  reported: readonly string[],
): LabelledChange[] {
  const rules = rulesByChange(effectTable(sent, identity), identity, before, reported);
  return diffStates(before, now).map((c) => ({ ...c, rules: rules.get(c.key) ?? [] }));
}
