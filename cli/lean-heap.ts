import { setFlagsFromString } from 'node:v8';

/**
 * V8 lets a heap grow to several times its live size before it collects the old generation, and
 * grows the young generation from 1 MB to 16 MB per semi-space when a burst of work keeps objects
 * alive. For the processes that hold thousands of devices for a long time (`serve`, `agents`,
 * `load`'s workers) both are most of their memory, not their devices. Measured over TCP
 * (`npm run bench -- tcp --node-flags=…`): at 5,000 devices, with V8's defaults the service held
 * 66 KB per device and the agents 83, with the old generation let grow by half between collections
 * 34 and 59; an agents process of 5,000 then held 345 MB, and 303 MB with the young generation kept
 * at its first size. At 19,800 devices the agents held 40.6 KB per device growing by half and 39.6
 * growing by 40%: agents processes, the ones that hold the devices' models, grow by 40%. No CPU
 * cost stood out of the run-to-run spread. `run` keeps V8's defaults: on the virtual clock it is all CPU.
 */
export const LEAN_HEAP_FLAGS = {
  service: { '--heap-growing-percent': 50, '--semi-space-growth-factor': 1 },
  agents: { '--heap-growing-percent': 40, '--semi-space-growth-factor': 1 },
} as const;

export type HeapRole = keyof typeof LEAN_HEAP_FLAGS;

/** Sets each flag of the role for this process, unless node was started with it. Returns those set. */
export function leanHeap(role: HeapRole, execArgv: readonly string[] = process.execArgv): string[] {
  const set: string[] = [];
  for (const [flag, value] of Object.entries(LEAN_HEAP_FLAGS[role])) {
    if (execArgv.some((a) => a.startsWith(flag))) continue;
    setFlagsFromString(`${flag}=${value}`);
    set.push(`${flag}=${value}`);
  }
  return set;
}
