import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { type LoadedScenario, loadScenarioFile } from '../scenarios/engine/load.ts';
import { walkScenarioFiles } from '../scenarios/library.ts';
import { givenToNode } from './lean-heap.ts';

/**
 * V8's young generation for `fleetsim run`, sized to the largest fleet it runs. Node's default
 * semi-space (16 MB) is as fast as a bigger one up to 20,000 devices and holds a young generation
 * of 32 MB rather than 128; a bigger fleet needs 64 MB. `npm run bench -- month`, steady-state CPU
 * per check-in and peak RSS per device, one run each (the 10,000 × 30 row at 16 MB: three runs):
 *
 * | devices × days                  | 16 MB               | 32 MB       | 64 MB        |
 * |---------------------------------|---------------------|-------------|--------------|
 * | 10,000 × 30, growing by a tenth | 32–33 µs, 49–50 KB  |             |              |
 * | 10,000 × 30, growing by half    |                     |             | 33 µs, 67 KB |
 * | 20,000 × 7, growing by a tenth  | 34 µs, 40 KB        |             | 36 µs, 45 KB |
 * | 50,000 × 7, growing by half     | 45 µs, 43 KB        | 44 µs, 44 KB | 38 µs, 49 KB |
 *
 * The flag counts only at start-up, so a run with a bigger fleet starts itself again with it (in
 * NODE_OPTIONS, which its --jobs workers inherit), unless node was given one.
 */
export const BIG_FLEET_DEVICES = 20_000;
const BIG_FLEET_SEMI_SPACE = '--max-semi-space-size=64';
const FLAG = '--max-semi-space-size';

export const devicesOf = (loaded: LoadedScenario): number => loaded.cohorts.reduce((n, c) => n + c.count, 0);

/** The flag a fleet of this size wants, or null when node's default young generation is best. */
export const youngGenerationFlagFor = (devices: number): string | null =>
  devices > BIG_FLEET_DEVICES ? BIG_FLEET_SEMI_SPACE : null;

/** The flag a run of these scenarios wants (its largest fleet's). */
export const youngGenerationFlag = (scenarios: readonly LoadedScenario[]): string | null =>
  youngGenerationFlagFor(Math.max(0, ...scenarios.map(devicesOf)));

/**
 * Before `run` loads its engine (aedes, mqtt.js, the service: tens of MB the waiting parent would
 * hold for the whole run), starts it again with a bigger young generation if a scenario's fleet
 * wants one: every file under `paths`, --filter or not. What cannot be read or loaded is left to
 * `run` to report, in whichever process runs it.
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
