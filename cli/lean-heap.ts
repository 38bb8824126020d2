import { setFlagsFromString } from 'node:v8';

/**
 * V8 lets a heap grow to several times its live size before it collects the old generation. For
 * the processes that hold thousands of devices for a long time (`serve`, `agents`, `load`'s
 * workers) that is most of their memory: at 5,000 devices over TCP the service held 66 KB per
 * device and the agents 83, with V8's default, and 34 and 59 with the heap let grow by half
 * between collections, at no measured CPU cost (`npm run bench -- tcp --node-flags=…`, README).
 * `run` keeps V8's default: on the virtual clock it is all CPU.
 */
export const HEAP_GROWING_PERCENT = 50;

const FLAG = '--heap-growing-percent';

/** Sets the heap growth for this process, unless node was started with the flag already. */
export function leanHeap(execArgv: readonly string[] = process.execArgv): boolean {
  if (execArgv.some((a) => a.startsWith(FLAG))) return false;
  setFlagsFromString(`${FLAG}=${HEAP_GROWING_PERCENT}`);
  return true;
}
