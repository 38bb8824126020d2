import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

/**
 * How many devices fit in a process: one TCP connection is one file descriptor, and Node cannot
 * raise its own limit (it has no setrlimit), so the plan is made to fit the limit it was given.
 */

/** Descriptors a process keeps for itself: SQLite, pipes, the HTTP server, enrollment sockets in flight. */
export const DESCRIPTOR_RESERVE = 256;

/** The soft "Max open files" of this process (what `ulimit -n` shows), from /proc/self/limits. */
export function descriptorLimit(limitsText?: string): number {
  let text = limitsText;
  if (text === undefined) {
    try {
      text = readFileSync('/proc/self/limits', 'utf8');
    } catch {
      return 1024; // no /proc (not Linux): assume the common default rather than guess high
    }
  }
  const m = /^Max open files\s+(\d+|unlimited)/m.exec(text);
  if (!m || m[1] === 'unlimited') return Number.MAX_SAFE_INTEGER;
  return Number(m[1]);
}

export interface ProcessPlan {
  processes: number;
  /** Devices each agent process runs (they differ by at most one). */
  perProcess: number[];
  /** Most devices one process may hold under the descriptor limit. */
  perProcessMax: number;
  limit: number;
}

export class CapacityError extends Error {
  override name = 'CapacityError';
}

/**
 * K agent processes for N devices: one per core by default, more when N exceeds what one process
 * may hold. With `embeddedService`, the service's process holds every device's connection too.
 */
export function planProcesses(
  devices: number,
  requested: number | undefined,
  options: { limit?: number; cores?: number; embeddedService: boolean },
): ProcessPlan {
  const limit = options.limit ?? descriptorLimit();
  const perProcessMax = Math.max(0, limit - DESCRIPTOR_RESERVE);
  const ulimit = `the descriptor limit is ${limit} (ulimit -n)`;
  if (options.embeddedService && devices > perProcessMax)
    throw new CapacityError(
      `--devices ${devices} cannot fit: the embedded service holds one connection per device and ${ulimit}, so at most ${perProcessMax} devices; raise it (ulimit -n ${devices + DESCRIPTOR_RESERVE}) or run fleetsim serve elsewhere and give --target`,
    );
  const needed = Math.ceil(devices / Math.max(1, perProcessMax));
  if (requested !== undefined) {
    if (requested > devices)
      throw new CapacityError(
        `--processes ${requested} is more than --devices ${devices}: each process runs at least one device`,
      );
    if (requested < needed)
      throw new CapacityError(
        `--processes ${requested} cannot hold ${devices} devices: ${ulimit}, so at most ${perProcessMax} devices per process; give --processes ${needed} or more`,
      );
  }
  const processes = requested ?? Math.min(devices, Math.max(options.cores ?? availableParallelism(), needed));
  const base = Math.floor(devices / processes);
  const perProcess = Array.from({ length: processes }, (_, i) => base + (i < devices % processes ? 1 : 0));
  return { processes, perProcess, perProcessMax, limit };
}
