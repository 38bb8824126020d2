/**
 * Two readings of the machine a benchmark runs on, so that its figures can be compared with
 * figures from another machine, or from this one at a busier time: the same code's month of 10,000
 * devices took 31 s on one of this project's 2-core machines and 82 s on another, whose memory
 * answered a random read in 170–300 ns over a day. A big fleet's check-ins are bound by memory
 * latency (each touches a few hundred cache lines of one device's objects), so that reading
 * matters most.
 */
export interface Yardstick {
  /** A fixed loop of 100 million dependent integer steps (CPU speed, nothing from memory). */
  cpuMs: number;
  /** One read of a chain of dependent reads at random places in 64 MB (memory latency). */
  randomReadNs: number;
}

/** How much each reading does: the benchmark's sizes by default, smaller ones in a test. */
export interface YardstickSizes {
  steps: number;
  /** Int32 slots of the chain: 16 Mi of them is 64 MB, far past any cache. */
  slots: number;
  reads: number;
}

const SIZES: YardstickSizes = { steps: 100_000_000, slots: 16 * 1024 * 1024, reads: 2_000_000 };

export function measureMachine({ steps, slots, reads }: YardstickSizes = SIZES): Yardstick {
  let x = 1;
  let t = performance.now();
  for (let i = 0; i < steps; i++) x = (Math.imul(x, 1103515245) + 12345) | 0;
  const cpuMs = performance.now() - t;
  // Sattolo's shuffle: one cycle through every slot, so the chain never settles into a small loop.
  const next = new Int32Array(slots);
  for (let i = 0; i < slots; i++) next[i] = i;
  for (let i = slots - 1; i > 0; i--) {
    x = (Math.imul(x, 1103515245) + 12345) | 0;
    const j = (x >>> 1) % i;
    const s = next[i]!;
    next[i] = next[j]!;
    next[j] = s;
  }
  let at = 0;
  t = performance.now();
  for (let i = 0; i < reads; i++) at = next[at]!;
  const randomReadNs = ((performance.now() - t) * 1e6) / reads;
  // Where the chain ended, read after the clock: the reads cannot be skipped (each needs the last).
  if (at < 0 || at >= slots) throw new Error(`yardstick: the chain left its array at ${at}`);
  return { cpuMs: Math.max(1, Math.round(cpuMs)), randomReadNs: Math.max(1, Math.round(randomReadNs)) };
}

export const describeMachine = (y: Yardstick): string =>
  `this machine: a fixed CPU loop ${y.cpuMs} ms, a random read of memory ${y.randomReadNs} ns`;
