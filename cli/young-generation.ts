import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { type LoadedScenario, loadScenarioFile } from '../scenarios/engine/load.ts';
import { walkScenarioFiles } from '../scenarios/library.ts';
import { givenToNode } from './lean-heap.ts';

/**
 * V8's young generation for `fleetsim run`, sized to the largest fleet it runs: node's own (16 MB
 * semi-spaces, 32 MB held) up to 20,000 devices, 64 MB above (128 MB held). With the fleet starting
 * in waves (agent/runtime/fleet-runner.ts) an instant's work is small whatever the fleet, so a small
 * young generation suffices until the heap is big enough that each scavenge's visit of the old
 * generation's pointers into it dominates. `npm run bench -- month`, growing by a tenth, steady-state
 * CPU per check-in and peak RSS per device, one or two runs each:
 *
 * | devices × days | 8 MB              | 16 MB              |
 * |----------------|-------------------|--------------------|
 * | 10,000 × 30    | 30–31 µs, 40 KB   | 28–31 µs, 41–42 KB |
 * | 20,000 × 7     | 34 µs, 35 KB      | 32 µs, 36 KB       |
 *
 * and before the waves, at 50,000 × 7 growing by half: 16 MB 45 µs, 43 KB; 32 MB 44 µs, 44 KB;
 * 64 MB 38 µs, 49 KB. 8 MB was tried from 5,001 devices: the process that waits for the one started
 * again holds ~50 MB of its own (it has loaded the scenarios), more than 8 MB saves at 10,000. The
 * flag counts only at start-up, so a run with a bigger fleet starts itself again with it (in
 * NODE_OPTIONS, which its --jobs workers inherit), unless node was given one.
 */
const TIERS: readonly { upTo: number; flag: string | null }[] = [
  { upTo: 20_000, flag: null },
  { upTo: Number.POSITIVE_INFINITY, flag: '--max-semi-space-size=64' },
];
const FLAG = '--max-semi-space-size';

const devicesOf = (loaded: LoadedScenario): number => loaded.cohorts.reduce((n, c) => n + c.count, 0);

/** The flag a fleet of this size wants, or null when node's default young generation is best. */
export const youngGenerationFlagFor = (devices: number): string | null =>
  TIERS.find((t) => devices <= t.upTo)!.flag;

/** The flag a run of these scenarios wants (its largest fleet's). */
export const youngGenerationFlag = (scenarios: readonly LoadedScenario[]): string | null =>
  youngGenerationFlagFor(Math.max(0, ...scenarios.map(devicesOf)));

/**
 * Starts `run` again with a bigger young generation if a scenario's fleet wants one: every file
 * under `paths`, --filter or not. Done before `run` loads its engine (aedes, mqtt.js, the
 * service), which the waiting parent would otherwise hold too; it still holds what loading the
 * scenarios took (~50 MB). What cannot be read or loaded is left to `run` to report, in whichever
 * process runs it.
 */
export async function startAgainForBigFleet(paths: readonly string[]): Promise<void> {
  if (semiSpaceGiven()) return;
  const loaded = paths
    .flatMap((p) => (existsSync(p) ? walkScenarioFiles(p) : []))
    .flatMap((file) => {
      try {
        return [loadScenarioFile(file)];
      } catch {
        return [];
      }
    });
  const flag = youngGenerationFlag(loaded);
  if (flag) await startAgainWith(flag);
}

/** Whether node was started with a semi-space size of its own (on its command line or in NODE_OPTIONS). */
export function semiSpaceGiven(
  execArgv: readonly string[] = process.execArgv,
  nodeOptions = process.env.NODE_OPTIONS ?? '',
): boolean {
  return givenToNode(FLAG, [...execArgv, ...nodeOptions.split(/\s+/)]);
}

/** Runs this command again in a process started with `flag`, and ends with its exit. */
async function startAgainWith(flag: string): Promise<never> {
  const nodeOptions = `${process.env.NODE_OPTIONS ?? ''} ${flag}`.trim();
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, NODE_OPTIONS: nodeOptions },
  });
  // The child does the work; a signal meant for the command goes to it, and its exit is ours.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => child.kill(signal));
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.on('exit', (c, s) => resolve([c, s])),
  );
  if (signal) {
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  }
  process.exit(code ?? 1);
}
