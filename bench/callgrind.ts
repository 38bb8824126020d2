import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { costsByPart, describeParts, groupParts, type PartCost } from './callgrind-parts.ts';

/**
 * A run counted instead of timed: valgrind's callgrind counts the instructions a span of the run
 * executes and the misses a modelled cache would take, the same whatever else the machine is doing.
 * This project's machines change speed by a third from one hour to the next; counts do not, so a
 * change of a few µs per check-in shows in them when timings cannot show it.
 *
 * The cache is a model, the same on every machine: a 32 KB first level and a 32 MB, 16-way last
 * level, what one core of the AMD EPYC this project measures on reaches (valgrind would otherwise
 * take the whole socket's L3 the VM reports, 512 MB, in which every fleet fits).
 */
export const CALLGRIND_ENV = 'FLEETSIM_BENCH_CALLGRIND';

/** valgrind's arguments ahead of node's: nothing counted until the run asks (`countFromHere`). */
export function callgrindArgs(outFile: string): string[] {
  return [
    '--tool=callgrind',
    '--instr-atstart=no',
    '--cache-sim=yes',
    '--I1=32768,8,64',
    '--D1=32768,8,64',
    '--LL=33554432,16,64',
    '--smc-check=all-non-file',
    // A file a thread: the main thread's own counts apart from V8's compiler and collector threads.
    '--separate-threads=yes',
    // Costs per instruction, so code V8 compiled is named by address (bench/callgrind-parts.ts).
    '--dump-instr=yes',
    `--callgrind-out-file=${outFile}`,
  ];
}

/** The files callgrind wrote for `outFile`, one a thread (`FILE-01` the main thread first). */
export function callgrindFiles(outFile: string): string[] {
  const dir = dirname(outFile);
  const base = basename(outFile);
  return readdirSync(dir)
    .filter((f) => f.startsWith(`${base}-`) && /^\d+$/.test(f.slice(base.length + 1)))
    .sort()
    .map((f) => join(dir, f));
}

/**
 * Node's flags under callgrind. `--perf-basic-prof` writes /tmp/perf-PID.map, which names the code
 * V8 compiles, for the costs by part (and, but for `--logfile`, a V8 log in the current folder).
 * V8's memory reducer collects the whole heap when allocation slows in wall-clock time, and under
 * valgrind every sim day takes minutes: it collected in the middle of a counted span at 10,000
 * devices (38% of that span's instructions), as it never does natively.
 */
export const NODE_FLAGS_UNDER_CALLGRIND = ['--no-memory-reducer', '--perf-basic-prof', '--logfile=/dev/null'];

/** Node's largest semi-space on 64-bit machines, MB, when it is given none. */
const NODE_MAX_SEMI_SPACE_MB = 16;

/**
 * The young generation held at the largest size the run may give it. V8 shrinks it when allocation
 * falls below 1,000 bytes per wall-clock ms (heap.cc, ShouldResizeNewSpace). A native run allocates
 * 80,000–92,000 (1,000 devices, `--trace-gc-nvp`); under valgrind, a hundred times slower, a run is
 * near that line. Two counts without this (10,000 and 50,000 devices) had a fifth of the write
 * misses of the others and several times the collector's reads: 151.6 read misses per check-in at
 * 10,000 devices, against 129–136 in the counts that kept the young generation's size.
 */
export function pinnedYoungGeneration(
  nodeArgs: readonly string[],
  nodeOptions = process.env.NODE_OPTIONS ?? '',
): string[] {
  // node takes a flag from NODE_OPTIONS or its arguments, its words joined by - or _.
  const flags = [...nodeOptions.split(/\s+/), ...nodeArgs].map((a) => a.replace(/_/g, '-'));
  const given = (flag: string) => flags.findLast((a) => a.startsWith(`${flag}=`))?.split('=')[1];
  if (given('--min-semi-space-size') !== undefined) return [];
  return [`--min-semi-space-size=${given('--max-semi-space-size') ?? NODE_MAX_SEMI_SPACE_MB}`];
}

/** Whether this process runs under the bench's callgrind. */
export const underCallgrind = (): boolean => process.env[CALLGRIND_ENV] === '1';

/**
 * Starts (`true`) or stops counting in this process; a no-op outside callgrind. callgrind_control
 * exits 0 even when it found no callgrind to talk to, so only its "OK" counts as done: a run that
 * cannot count fails rather than report a span it did not count.
 */
export function countFromHere(on: boolean): void {
  if (!underCallgrind()) return;
  const r = spawnSync('callgrind_control', ['--instr', on ? 'on' : 'off', String(process.pid)], {
    encoding: 'utf8',
  });
  if (r.status !== 0 || !/\bOK\b/.test(r.stdout ?? ''))
    throw new Error(
      `callgrind_control --instr ${on ? 'on' : 'off'} failed: ${(r.error?.message ?? `${r.stdout ?? ''}${r.stderr ?? ''}`).trim()}`,
    );
}

export interface CallgrindCounts {
  instructions: number;
  dataReads: number;
  dataWrites: number;
  /** First-level misses: instructions, data read, data written. */
  i1Misses: number;
  d1Misses: number;
  /** Last-level misses of data reads and writes: the ones that go to memory. */
  llReadMisses: number;
  llWriteMisses: number;
}

/** The totals line of a callgrind output file, by its events line. */
export function readCallgrindTotals(file: string): CallgrindCounts {
  const text = readFileSync(file, 'utf8');
  const events = /^events: (.+)$/m.exec(text)?.[1]?.split(' ');
  const totals = /^totals: (.+)$/m.exec(text)?.[1]?.split(' ').map(Number);
  if (!events || !totals) throw new Error(`${file}: no events or totals line (not a callgrind output?)`);
  const of = (name: string) => totals[events.indexOf(name)] ?? 0;
  return {
    instructions: of('Ir'),
    dataReads: of('Dr'),
    dataWrites: of('Dw'),
    i1Misses: of('I1mr'),
    d1Misses: of('D1mr') + of('D1mw'),
    llReadMisses: of('DLmr'),
    llWriteMisses: of('DLmw'),
  };
}

/** Counts added up (every thread's). */
export function sumCounts(all: readonly CallgrindCounts[]): CallgrindCounts {
  const sum: CallgrindCounts = {
    instructions: 0,
    dataReads: 0,
    dataWrites: 0,
    i1Misses: 0,
    d1Misses: 0,
    llReadMisses: 0,
    llWriteMisses: 0,
  };
  for (const c of all) for (const k of Object.keys(sum) as (keyof CallgrindCounts)[]) sum[k] += c[k];
  return sum;
}

/** The counts per check-in of the span they were counted over, in a few words. */
export function describeCounts(c: CallgrindCounts, checkIns: number): string {
  const per = (x: number) => Math.round(x / Math.max(1, checkIns)).toLocaleString('en-US');
  return `${per(c.instructions)} instructions, ${per(c.dataReads + c.dataWrites)} data reads and writes, ${per(c.i1Misses)} instruction-cache misses, ${per(c.d1Misses)} first-level data misses, ${per(c.llReadMisses)} last-level read misses and ${per(c.llWriteMisses)} write misses`;
}

/** What is wrong with `--callgrind FILE`'s file as given, or null. */
export function callgrindFileMisuse(file: string): string | null {
  if (file === '' || file.startsWith('-')) return '--callgrind takes the file to write its counts to';
  const folder = dirname(resolve(file));
  return existsSync(folder) ? null : `--callgrind: no folder ${folder} to write ${file} in`;
}

/** What a counted child gave: its last line on stdout (its figures) and each thread's counts, main first. */
export interface CountedChild {
  lastLine: string;
  threads: CallgrindCounts[];
  /** The main thread's costs by part, or why there are none. */
  parts: Map<string, PartCost> | { error: string };
}

/** Where perf maps go: V8 writes them there, whatever the temporary folder. */
const PERF_MAP_DIR = '/tmp';

/** The perf map the node of a callgrind file wrote, by the pid the file names; null if it names none. */
function perfMapOf(callgrindText: string): string | null {
  const pid = /^pid: (\d+)$/m.exec(callgrindText)?.[1];
  return pid ? join(PERF_MAP_DIR, `perf-${pid}.map`) : null;
}

/** A failed run's perf map is not left behind in /tmp either. */
function removePerfMapOf(callgrindFile: string): void {
  const mapFile = perfMapOf(readFileSync(callgrindFile, 'utf8'));
  if (mapFile) rmSync(mapFile, { force: true });
}

/** The main thread's costs by part, from its callgrind file and the perf map its node wrote (then removed). */
function mainThreadParts(mainFile: string): Map<string, PartCost> | { error: string } {
  const text = readFileSync(mainFile, 'utf8');
  const mapFile = perfMapOf(text);
  if (!mapFile) return { error: `${mainFile} names no pid` };
  if (!existsSync(mapFile)) return { error: `node wrote no ${mapFile}` };
  try {
    return costsByPart(text, readFileSync(mapFile, 'utf8'));
  } finally {
    rmSync(mapFile, { force: true });
  }
}

/**
 * Node with `nodeArgs`, in a child under valgrind's callgrind counting into `outFile`'s thread
 * files; or why it could not be counted. The child starts and stops the count itself
 * (`countFromHere`) and prints its figures as its last line.
 */
export function countedChild(outFile: string, nodeArgs: readonly string[]): CountedChild | { error: string } {
  // An earlier run's threads would be counted with this one's.
  for (const stale of callgrindFiles(outFile)) rmSync(stale);
  const child = spawnSync(
    'valgrind',
    [
      ...callgrindArgs(outFile),
      process.execPath,
      ...NODE_FLAGS_UNDER_CALLGRIND,
      ...pinnedYoungGeneration(nodeArgs),
      ...nodeArgs,
    ],
    {
      encoding: 'utf8',
      // valgrind's own lines and the run's errors show as they come: a counted run takes a while.
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, [CALLGRIND_ENV]: '1' },
    },
  );
  if (child.error || child.status !== 0) {
    for (const file of callgrindFiles(outFile)) removePerfMapOf(file);
    return {
      error: `the run under valgrind failed (${child.error ? `${child.error.message}; is valgrind installed?` : `exit ${child.status}`})`,
    };
  }
  const files = callgrindFiles(outFile);
  const threads = files.map(readCallgrindTotals);
  if (threads.length === 0) return { error: `callgrind wrote no ${outFile}-NN files` };
  return {
    lastLine: child.stdout.trim().split('\n').at(-1) ?? '',
    threads,
    parts: mainThreadParts(files[0]!),
  };
}

/** The main thread's costs by group and its parts with the most reads from memory, per unit counted. */
export function describeMainThreadParts(counted: CountedChild, per: number, unit: string): string {
  if ('error' in counted.parts) return `    by part: none (${counted.parts.error})\n`;
  const lines = (parts: Map<string, PartCost>) =>
    describeParts(parts, per)
      .map((l) => `      ${l}\n`)
      .join('');
  return `    the main thread by group, per ${unit}:\n${lines(groupParts(counted.parts))}    and by part (a part's own code: what V8 inlined counts as its caller's; its builtins serve every part):\n${lines(counted.parts)}`;
}
