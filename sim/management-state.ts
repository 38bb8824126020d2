/** S-1: Graph's managementState values, with their numbers. */
export const MANAGEMENT_STATES = {
  managed: 0,
  retirePending: 1,
  retireFailed: 2,
  wipePending: 3,
  wipeFailed: 4,
  unhealthy: 5,
  deletePending: 6,
  retireIssued: 7,
  wipeIssued: 8,
  wipeCanceled: 9,
  retireCanceled: 10,
  discovered: 11,
} as const;
export type ManagementState = keyof typeof MANAGEMENT_STATES;

/** S-2: Graph's actionState values. */
export const ACTION_STATES = [
  'none',
  'pending',
  'canceled',
  'active',
  'done',
  'failed',
  'notSupported',
] as const;
export type ActionState = (typeof ACTION_STATES)[number];
