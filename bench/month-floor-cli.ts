import { spawnSync } from 'node:child_process';
import { argValue } from './args.ts';
import {
  callgrindFileMisuse,
  countedChild,
  describeCounts,
  describeMainThreadParts,
  sumCounts,
} from './callgrind.ts';
import { lastJson } from './child-figures.ts';
import { describeFloor, type FloorFigures, floorRounds, floorRun } from './month-floor.ts';

/**
 * `npm run bench -- month --floor --devices N [--rounds R] [--callgrind FILE]`: the floor
 * (month-floor.ts) at one size, in a child with the young generation a fleet of that size gets,
 * timed, or counted under callgrind. The month bench's table also runs it after each size.
 */

/** What the month bench lends: its children's arguments and its reading of the machine. */
export interface FloorCliContext {
  /** Node's arguments for the bench script in a child at a fleet's size, its figures as JSON. */
  childArgs(devices: number, ...what: string[]): string[];
  machineLine(): string;
}

/** Flags that belong to a month run, not to the floor. */
const MONTH_ONLY = [
  '--days',
  '--ballast',
  '--repeat',
  '--big',
  '--profile',
  '--alloc-profile',
  '--promoted-profile',
  '--heap-snapshot',
];

/** The floor's size and rounds from the command line, or what is wrong with it. */
export function floorOptions(
  argv: readonly string[],
): { devices: number; rounds: number | null; callgrindTo: string | undefined } | { problem: string } {
  const devicesText = argValue(argv, '--devices');
  const devices = Number(devicesText);
  if (devicesText === undefined || !/^\d+$/.test(devicesText) || devices < 1)
    return {
      problem: `--floor measures the broker and client library alone at one size: give it --devices N (got '${devicesText ?? ''}')`,
    };
  const other = MONTH_ONLY.find((f) => argv.includes(f));
  if (other) return { problem: `--floor measures the broker and client library alone: not with ${other}` };
  const roundsText = argValue(argv, '--rounds');
  if (roundsText !== undefined && !(/^\d+$/.test(roundsText) && Number(roundsText) >= 1))
    return { problem: `--rounds takes the whole number of rounds to time, 1 or more (got '${roundsText}')` };
  const callgrindTo = argValue(argv, '--callgrind');
  const fileProblem = callgrindTo === undefined ? null : callgrindFileMisuse(callgrindTo);
  if (fileProblem) return { problem: fileProblem };
  return { devices, rounds: roundsText === undefined ? null : Number(roundsText), callgrindTo };
}

const floorArgs = (ctx: FloorCliContext, devices: number, rounds: number) =>
  ctx.childArgs(devices, '--floor', '--rounds', String(rounds));

/** One floor run in a child of its own; its figures printed and returned, or null. */
export function floorChild(ctx: FloorCliContext, devices: number, rounds: number): FloorFigures | null {
  const child = spawnSync(process.execPath, floorArgs(ctx, devices, rounds), {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (child.status !== 0) {
    process.stdout.write(`the floor at ${devices}: the run failed (exit ${child.status})\n`);
    return null;
  }
  const figures = lastJson<FloorFigures>(child.stdout, `the floor at ${devices}`);
  if (figures) process.stdout.write(`  ${describeFloor(figures, true)}\n`);
  return figures;
}

/** `--floor`: the exit status. In the child (`--json`), the run itself. */
export async function floorCli(ctx: FloorCliContext, argv: readonly string[]): Promise<number> {
  const options = floorOptions(argv);
  if ('problem' in options) {
    process.stderr.write(`month: ${options.problem}\n`);
    return 2;
  }
  const { devices, callgrindTo } = options;
  const rounds = options.rounds ?? floorRounds(devices, callgrindTo !== undefined);
  if (callgrindTo === undefined && argv.includes('--json')) {
    process.stdout.write(`${JSON.stringify(await floorRun(devices, rounds))}\n`);
    return 0;
  }
  process.stdout.write(`${ctx.machineLine()}\n`);
  if (callgrindTo === undefined) return floorChild(ctx, devices, rounds) ? 0 : 1;
  process.stdout.write(`the floor at ${devices} clients: under valgrind's callgrind, a few minutes\n`);
  const counted = countedChild(callgrindTo, floorArgs(ctx, devices, rounds));
  if ('error' in counted) {
    process.stderr.write(`month: ${counted.error}\n`);
    return 1;
  }
  const f = lastJson<FloorFigures>(counted.lastLine, `the floor at ${devices}`);
  if (!f) return 1;
  process.stdout.write(
    `  ${describeFloor(f, false)}\n  counted by callgrind over the timed rounds (a 32 MB last-level cache modelled), per message:\n    the main thread: ${describeCounts(counted.threads[0]!, f.messages)}\n    all ${counted.threads.length} threads: ${describeCounts(sumCounts(counted.threads), f.messages)}\n`,
  );
  process.stdout.write(describeMainThreadParts(counted, f.messages, 'message'));
  return 0;
}
