import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * A fleet of this many devices or more is collected in full at the two moments its memory is let
 * go: before it stops, and once a run's scenarios are over, before their reports are built.
 */
export const FULL_GC_FROM_DEVICES = 1_000;

/**
 * Why: V8 collects the old generation when it has grown by a tenth since the last time
 * (cli/lean-heap.ts), and a month of check-ins had left it holding tens of MB of garbage by the
 * end. Closing a fleet's connections writes new objects into old ones (aedes' and mqtt.js' state,
 * listener lists, its subscriptions), which the young generation must keep, and a report is
 * written while the fleet it was judged from is garbage not yet collected: at 10,000 devices × 30
 * days, `fleetsim run` peaked at 408–417 MB in the last second of the run against ~375 in the
 * month itself, and at ~380 with these two collections (~0.2 s).
 */
let gc: (() => void) | null = null;
let collections = 0;

/** Best effort: a node that will not expose its collector only keeps its garbage a while longer. */
export function fullCollection(): void {
  try {
    if (!gc) {
      // Exposed to a context made after the flag is set: this module's, not the program's globals.
      setFlagsFromString('--expose-gc');
      const exposed: unknown = runInNewContext('typeof gc === "function" ? gc : null');
      if (typeof exposed !== 'function') return;
      gc = exposed as () => void;
    }
    gc();
    collections++;
  } catch {
    // Nothing lost: the collection was for memory, not for behaviour.
  }
}

/** How many full collections this process asked for (for tests). */
export function fullCollectionsSoFar(): number {
  return collections;
}
