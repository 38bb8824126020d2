/**
 * Two readings of the machine a benchmark runs on, so that its figures can be compared with
 * figures from another machine, or from this one at a busier time: the same commit's month of
 * 10,000 devices took 31 s on one of this project's 2-core machines and 82 s on another, whose
 * memory answered a random read in ~270 ns. A big fleet's check-ins are bound by memory latency
 * (each touches a few hundred cache lines of one device's objects), so that reading matters most.
 */
export interface Yardstick {
  /** A fixed loop of 100 million dependent integer steps (CPU speed, nothing from memory). */
  cpuMs: number;
  /** One read of a chain of dependent reads at random places in 64 MB (memory latency). */
  randomReadNs: number;
}

const STEPS = 100_000_000;
const SLOTS = 16 * 1024 * 1024; // 64 MB of Int32: far past any cache
const READS = 2_000_000;

export function measureMachine(): Yardstick {
  let x = 1;
  let t = performance.now();
  for (let i = 0; i < STEPS; i++) x = (Math.imul(x, 1103515245) + 12345) | 0;
  const cpuMs = performance.now() - t;
  // Sattolo's shuffle: one cycle through every slot, so the chain never settles into a small loop.
  const next = new Int32Array(SLOTS);
  for (let i = 0; i < SLOTS; i++) next[i] = i;
  for (let i = SLOTS - 1; i > 0; i--) {
    x = (Math.imul(x, 1103515245) + 12345) | 0;
    const j = (x >>> 1) % i;
    const s = next[i]!;
    next[i] = next[j]!;
    next[j] = s;
  }
  let at = 0;
  t = performance.now();
  for (let i = 0; i < READS; i++) at = next[at]!;
  const randomReadNs = ((performance.now() - t) * 1e6) / READS;
  // `at` and `x` used, so neither loop is optimised away.
  return { cpuMs: Math.round(cpuMs + (at & x & 0)), randomReadNs: Math.round(randomReadNs) };
}

export const describeMachine = (y: Yardstick): string =>
  `this machine: a fixed CPU loop ${y.cpuMs} ms, a random read of memory ${y.randomReadNs} ns`;
