import type { Rng } from '../../sim/prng.ts';

/** Exponential backoff with full jitter: how long to wait before retry number `attempt` (0-based). */
export interface BackoffPolicy {
  /** The ceiling of the first wait. */
  baseMs: number;
  /** No wait is longer than this, however many attempts failed. */
  capMs: number;
}

/**
 * Connection and enrollment retries: 1 s, 2 s, 4 s … up to 2 minutes, each drawn uniformly below
 * its ceiling ("full jitter"), so thousands of devices refused at once do not come back at once.
 */
export const CONNECT_BACKOFF: BackoffPolicy = { baseMs: 1_000, capMs: 120_000 };

export function backoffDelayMs(attempt: number, rng: Rng, policy: BackoffPolicy = CONNECT_BACKOFF): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(attempt, 30));
  // Never zero: a retry always yields to whatever else is due.
  return Math.max(1, Math.floor(rng.next() * ceiling));
}
