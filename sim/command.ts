import type { WipeOptions } from './eligibility.ts';

/** A command the service sends a device. Every command carries an id; both sides handle repeats idempotently. */
export type Command =
  | { id: string; type: 'wipe'; options: WipeOptions }
  | { id: string; type: 'retire' }
  | { id: string; type: 'freshStart'; keepUserData: boolean }
  | { id: string; type: 'sync' };
