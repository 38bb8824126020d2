import { readFileSync } from 'node:fs';

/** `total` split over `parts` as evenly as whole numbers go (the first ones take the remainder). */
export function splitEvenly(total: number, parts: number): number[] {
  return Array.from({ length: parts }, (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0));
}

/** Descriptors a process needs beyond its sockets: stdio, listeners, SQLite files, the HTTP API. */
const DESCRIPTORS_SPARE = 128;

/** This process's open-file limit (Node raises the soft limit to the hard one at start). */
export function openFilesLimit(): number {
  const line = readFileSync('/proc/self/limits', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('Max open files'));
  return Number(line?.split(/\s+/)[3] ?? Number.POSITIVE_INFINITY);
}

/**
 * Why a run of `devices` over `processes` client processes cannot fit the descriptor limit, or
 * null: on loopback each device holds one socket in the broker's process and one in its client's.
 */
export function descriptorProblem(devices: number, processes: number, limit: number): string | null {
  const broker = devices + DESCRIPTORS_SPARE;
  const client = Math.ceil(devices / processes) + DESCRIPTORS_SPARE;
  if (broker <= limit && client <= limit) return null;
  return `${devices} devices need ${broker} open files in the broker's process and ${client} in each of ${processes} client processes; the limit is ${limit} (ulimit -Hn): raise the hard limit to at least ${Math.max(broker, client)} (ulimit -Hn needs privilege; in a container, the runtime's nofile ulimit) or run fewer devices`;
}
