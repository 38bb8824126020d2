import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CALLGRIND_ENV,
  callgrindArgs,
  callgrindFiles,
  countFromHere,
  describeCounts,
  pinnedYoungGeneration,
  readCallgrindTotals,
  sumCounts,
} from '../../bench/callgrind.ts';

/** The head of a file callgrind writes, with the lines the bench reads. */
const output = (thread: number, totals: string) =>
  `# callgrind format\nversion: 1\ncreator: callgrind-3.19.0\npid: 4242\ncmd:  node month.js\npart: 1\n\ndesc: I1 cache: 32768 B, 64 B, 8-way associative\n\npositions: line\nevents: Ir Dr Dw I1mr D1mr D1mw ILmr DLmr DLmw\nthread: ${thread}\nsummary: 0\ntotals: ${totals}\n`;

describe("the month bench's counted run (bench/callgrind.ts)", () => {
  const dirs: string[] = [];
  const dir = () => {
    const d = mkdtempSync(join(tmpdir(), 'fleetsim-callgrind-'));
    dirs.push(d);
    return d;
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('reads each thread of a run from its own file, the main thread first, and adds them up', () => {
    const d = dir();
    const file = join(d, 'month.cg');
    writeFileSync(file, ''); // callgrind leaves the bare name empty when it writes a file a thread
    writeFileSync(`${file}-10`, output(10, '5 4 3 2 1 0 0 7 9'));
    writeFileSync(`${file}-01`, output(1, '1000 300 200 40 30 20 5 6 8'));
    writeFileSync(`${file}-02`, output(2, '10 3 2 1 1 0 0 0 0'));
    writeFileSync(join(d, 'month.cg-notes'), 'not a thread');
    writeFileSync(join(d, 'other.cg-01'), output(1, '1 1 1 1 1 1 1 1 1'));

    const files = callgrindFiles(file);
    expect(files).toEqual([`${file}-01`, `${file}-02`, `${file}-10`]);
    const threads = files.map(readCallgrindTotals);
    expect(threads[0]).toEqual({
      instructions: 1000,
      dataReads: 300,
      dataWrites: 200,
      i1Misses: 40,
      d1Misses: 50,
      llReadMisses: 6,
      llWriteMisses: 8,
    });
    expect(sumCounts(threads)).toEqual({
      instructions: 1015,
      dataReads: 307,
      dataWrites: 205,
      i1Misses: 43,
      d1Misses: 52,
      llReadMisses: 13,
      llWriteMisses: 17,
    });
    expect(describeCounts(threads[0]!, 4)).toBe(
      '250 instructions, 125 data reads and writes, 10 instruction-cache misses, 13 first-level data misses, 2 last-level read misses and 2 write misses',
    );
  });

  it('reads a totals line that leaves out its trailing zeros, as callgrind writes one', () => {
    const file = join(dir(), 'month.cg-01');
    writeFileSync(file, output(1, '900 300 200'));
    expect(readCallgrindTotals(file)).toEqual({
      instructions: 900,
      dataReads: 300,
      dataWrites: 200,
      i1Misses: 0,
      d1Misses: 0,
      llReadMisses: 0,
      llWriteMisses: 0,
    });
  });

  it('names the file that is not a callgrind output', () => {
    const file = join(dir(), 'month.cg-01');
    writeFileSync(file, 'hello\n');
    expect(() => readCallgrindTotals(file)).toThrow(
      `${file}: no events or totals line (not a callgrind output?)`,
    );
  });

  it('models one cache for every machine, counts nothing until asked, and writes a file a thread', () => {
    const args = callgrindArgs('/tmp/x.cg');
    expect(args).toEqual(
      expect.arrayContaining([
        '--tool=callgrind',
        '--instr-atstart=no',
        '--cache-sim=yes',
        '--I1=32768,8,64',
        '--D1=32768,8,64',
        '--LL=33554432,16,64',
        '--separate-threads=yes',
        '--dump-instr=yes',
        '--callgrind-out-file=/tmp/x.cg',
      ]),
    );
    // Outside valgrind, asking to count is a no-op; told it is under callgrind when it is not, it
    // fails rather than count nothing (callgrind_control exits 0 even when it finds no callgrind).
    const was = process.env[CALLGRIND_ENV];
    try {
      delete process.env[CALLGRIND_ENV];
      expect(() => countFromHere(true)).not.toThrow();
      process.env[CALLGRIND_ENV] = '1';
      expect(() => countFromHere(true)).toThrow(/^callgrind_control --instr on failed/);
    } finally {
      if (was === undefined) delete process.env[CALLGRIND_ENV];
      else process.env[CALLGRIND_ENV] = was;
    }
  });

  it("holds the young generation at the run's largest: node's own, the one given, or none when a least is given", () => {
    expect(pinnedYoungGeneration(['month.js', '--devices', '1000'], '')).toEqual([
      '--min-semi-space-size=16',
    ]);
    expect(pinnedYoungGeneration(['--max-semi-space-size=64', 'month.js'], '')).toEqual([
      '--min-semi-space-size=64',
    ]);
    expect(pinnedYoungGeneration(['--max_semi_space_size=32'], '')).toEqual(['--min-semi-space-size=32']);
    expect(pinnedYoungGeneration(['month.js'], '--max-semi-space-size=64 --trace-gc')).toEqual([
      '--min-semi-space-size=64',
    ]);
    expect(pinnedYoungGeneration(['--max-semi-space-size=8'], '--max-semi-space-size=64')).toEqual([
      '--min-semi-space-size=8',
    ]);
    expect(pinnedYoungGeneration(['--min-semi-space-size=8', '--max-semi-space-size=64'], '')).toEqual([]);
    expect(pinnedYoungGeneration(['month.js'], '--min_semi_space_size=4')).toEqual([]);
  });
});
