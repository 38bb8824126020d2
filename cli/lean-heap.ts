import { setFlagsFromString } from 'node:v8';

/**
 * V8 heap settings per kind of process, set when a command starts.
 *
 * Growth. V8 lets a heap grow to several times its live size before it collects the old
 * generation, and grows the young generation from 1 MB to 16 MB per semi-space when a burst of work
 * keeps objects alive. For the processes that hold thousands of devices for a long time (`serve`,
 * `agents`, `load`'s workers) both are most of their memory, not their devices. Measured over TCP
 * (`npm run bench -- tcp --node-flags=…`): at 5,000 devices, with V8's defaults the service held
 * 66 KB per device and the agents 83, with the old generation let grow by half between collections
 * 34 and 59; an agents process of 5,000 then held 345 MB, and 303 MB with the young generation kept
 * at its first size. At 19,800 devices the agents held 40.6 KB per device growing by half, 38.6–40.2
 * growing by 40%, and 37.4 growing by 30%: agents processes, the ones that hold the devices' models,
 * grow by 30%. No CPU cost stood out of the run-to-run spread (their CPU per round trip: 0.45 ms at
 * 40%, 0.34 at 30%). `run` grows by a tenth: on the virtual clock V8's own growth let the old
 * generation reach about four times what was live when a fleet had just enrolled, so most of its
 * peak memory was garbage. Measured at 10,000 devices × 30 sim days with node's young generation,
 * before fleets started in waves (`npm run bench -- month`, one run each): steady RSS ~410 MB growing by a tenth, ~440 by a
 * quarter; 31–33 µs of CPU per check-in in the steady state against 35. The cost is in enrolling
 * a big fleet, whose heap is collected at every tenth it grows: 50,000 devices × 7 days took 106 µs
 * per check-in over the whole run against 76 growing by half (peak RSS 39 KB per device against
 * 49). Growing by half while a fleet enrolls and by a tenth after was tried: the old generation
 * kept the size it reached while enrolling (10,000 devices: ~480 MB steady).
 *
 * Pretenuring, for every kind. V8 watches whether what a piece of code allocates outlives the young
 * generation, and if it does, allocates it in the old generation from then on. A fleet enrolling
 * at once is the moment where everything outlives it, so the code of a check-in's exchange (the
 * stream writes, the packets, their callbacks) was judged long-lived then and stayed so: every
 * check-in afterwards left its short-lived objects in the old generation, and the young payloads
 * they point to were kept with them. Full collections then came at a rate set by the check-ins,
 * each marking the whole heap, so the cost per check-in grew with the fleet (issue 11,
 * `npm run bench -- month`, 50,000 devices × 3 days from sim day 1: 82 µs per check-in with
 * pretenuring, 48 without, the same as at 10,000; 10 MB against 5.3 MB outliving each scavenge).
 */
export const LEAN_HEAP_FLAGS = {
  service: {
    '--heap-growing-percent': 50,
    '--semi-space-growth-factor': 1,
    '--allocation-site-pretenuring': false,
  },
  agents: {
    '--heap-growing-percent': 30,
    '--semi-space-growth-factor': 1,
    '--allocation-site-pretenuring': false,
  },
  run: { '--heap-growing-percent': 10, '--allocation-site-pretenuring': false },
} as const satisfies Record<string, Record<string, number | boolean>>;

export type HeapRole = keyof typeof LEAN_HEAP_FLAGS;

/** `--flag=value`, or for a switch `--flag` / `--no-flag`. */
function spelled(flag: string, value: number | boolean): string {
  if (value === true) return flag;
  if (value === false) return `--no-${flag.slice(2)}`;
  return `${flag}=${value}`;
}

/** Whether node was started with this flag, either way round (`--x`, `--x=…`, `--no-x`). */
export function givenToNode(flag: string, execArgv: readonly string[]): boolean {
  const name = flag.slice(2);
  return execArgv.some((a) => {
    const bare = a
      .split('=')[0]!
      .replace(/^--no-/, '--')
      .replaceAll('_', '-');
    return bare === `--${name}`;
  });
}

/** Sets each flag of the role for this process, unless node was started with it. Returns those set. */
export function leanHeap(role: HeapRole, execArgv: readonly string[] = process.execArgv): string[] {
  const set: string[] = [];
  for (const [flag, value] of Object.entries(LEAN_HEAP_FLAGS[role])) {
    if (givenToNode(flag, execArgv)) continue;
    const text = spelled(flag, value);
    setFlagsFromString(text);
    set.push(text);
  }
  return set;
}
