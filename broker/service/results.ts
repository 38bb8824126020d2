import type { ManagementState } from '../../sim/management-state.ts';
import { LIFECYCLE } from './lifecycle.ts';
import type { ActionKind } from './types.ts';

/** What a device's report of a finished command means for its record (S-1, D-1). */
export type ResultEffect =
  /** It left management: the record leaves the list, its credentials stop working, its other actions end. */
  | { kind: 'leave' }
  /** D-1: the removal did not happen; queue it again for the next check-in. */
  | { kind: 'retryRemoval' }
  | { kind: 'setState'; to: ManagementState }
  /** The state stays as it is. */
  | { kind: 'keepState' };

export interface ResultContext {
  kind: ActionKind;
  status: 'done' | 'failed' | 'notSupported';
  /** The device's own word, in the facts it reported with the result. */
  stillEnrolled: boolean;
  managementState: ManagementState;
}

interface ResultRule {
  specId: string;
  why: string;
  when(c: ResultContext): boolean;
  effect(c: ResultContext): ResultEffect;
}

/**
 * The service's side of a result, as a table: the first rule that matches decides. The action
 * itself always takes the reported status; these rows decide what happens to the device's record.
 */
export const RESULT_RULES: readonly ResultRule[] = [
  {
    specId: 'W-1, R-1, D-1, F-3',
    why: 'the command ran and the device is no longer enrolled: it has left management',
    when: (c) => c.status === 'done' && !c.stillEnrolled,
    effect: () => ({ kind: 'leave' }),
  },
  {
    specId: 'D-1',
    why: 'a deleted device still enrolled after its removal ran (for example a power cut): try again at its next check-in',
    when: (c) => c.managementState === 'deletePending' && c.kind === 'deleteRemoval',
    effect: () => ({ kind: 'retryRemoval' }),
  },
  {
    specId: 'D-1',
    why: 'while a device is deletePending only its removal moves its state',
    when: (c) => c.managementState === 'deletePending',
    effect: () => ({ kind: 'keepState' }),
  },
  {
    specId: 'S-1',
    why: 'a wipe, Fresh Start or retire that did not run shows as failed',
    when: (c) => c.status !== 'done' && LIFECYCLE[c.kind].failed !== null,
    effect: (c) => ({ kind: 'setState', to: LIFECYCLE[c.kind].failed! }),
  },
  {
    specId: 'S-1',
    why: 'a sync changes no managementState (one finishing during a pending wipe leaves wipePending)',
    when: (c) => c.kind === 'sync',
    effect: () => ({ kind: 'keepState' }),
  },
  {
    specId: 'W-2, F-2',
    why: 'a reset that kept the device enrolled (keep-enrollment wipe, Fresh Start keeping user data) leaves it managed',
    when: () => true,
    effect: () => ({ kind: 'setState', to: 'managed' }),
  },
];

export function resultEffect(c: ResultContext): ResultEffect {
  const rule = RESULT_RULES.find((r) => r.when(c));
  // The last row matches everything; reaching here would be a broken table.
  // Stryker disable next-line ConditionalExpression,StringLiteral: the last row matches every context, so no result reaches the throw
  if (!rule) throw new Error(`no result rule for ${JSON.stringify(c)}`);
  return rule.effect(c);
}
