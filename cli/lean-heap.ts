import { setFlagsFromString } from 'node:v8';

/**
 * V8 lets a heap grow to several times its live size before it collects the old generation, and
 * grows the young generation from 1 MB to 16 MB per semi-space when a burst of work keeps objects
 * alive. For the processes that hold thousands of devices for a long time (`serve`, `agents`,
 * `load`'s workers) both are most of their memory, not their devices. Measured with 5,000 devices
 * over TCP (`npm run bench -- tcp --node-flags=…`): with V8's defaults the service held 66 KB per
 * device and the agents 83; with the old generation let grow by half between collections 34 and
 * 59; an agents process of 5,000 then held 345 MB, and 303 MB with the young generation kept at
 * its first size, at no measured CPU cost. `run` keeps V8's defaults: on the virtual clock it is all CPU.
 */
export const LEAN_HEAP_FLAGS = { '--heap-growing-percent': 50, '--semi-space-growth-factor': 1 } as const;

/** Sets each flag for this process, unless node was started with it already. Returns those set. */
export function leanHeap(execArgv: readonly string[] = process.execArgv): string[] {
  const set: string[] = [];
  for (const [flag, value] of Object.entries(LEAN_HEAP_FLAGS)) {
    if (execArgv.some((a) => a.startsWith(flag))) continue;
    setFlagsFromString(`${flag}=${value}`);
    set.push(flag);
  }
  return set;
}
