import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lastJson } from '../../bench/child-figures.ts';
import {
  type FloorFigures,
  floorRounds,
  floorRun,
  pausesWithin,
  warmUpRounds,
} from '../../bench/month-floor.ts';
import { floorOptions } from '../../bench/month-floor-cli.ts';
import { besideTheFloor, type MonthFigures } from '../../bench/virtual-month.ts';
import { deviceUpTopic } from '../../sim/wire/topics.ts';

describe("the month bench's floor: aedes and mqtt.js alone on fleetsim's in-memory path", () => {
  it('has every client publish once a round, and the service receives every message', async () => {
    const byTopic = new Map<string, number>();
    const f = await floorRun(40, 3, {
      warmUp: 2,
      onDelivered: (topic) => byTopic.set(topic, (byTopic.get(topic) ?? 0) + 1),
    });
    expect(f).toMatchObject({ devices: 40, rounds: 3, warmUpRounds: 2, messages: 120, delivered: 200 });
    const expected = Array.from({ length: 40 }, (_, i) => [
      deviceUpTopic(`floor-${String(i).padStart(6, '0')}`),
      5,
    ]);
    expect([...byTopic].sort()).toEqual(expected.sort());
    for (const us of [f.cpuUsPerMessage, f.gcUsPerMessage, f.connectS, f.peakRssKbPerDevice])
      expect(Number.isFinite(us) && us >= 0).toBe(true);
    expect(f.cpuUsPerMessage).toBeGreaterThan(0);
  });

  it("counts the GC pauses of its timed rounds, which end before node hands over V8's gc entries", async () => {
    // Garbage enough for a young collection every few messages: a floor's own messages alone
    // make too little at 40 clients to be sure of one in three rounds.
    const sink: object[] = [];
    const f = await floorRun(40, 3, {
      warmUp: 1,
      onDelivered: () => {
        for (let k = 0; k < 20_000; k++) sink[k & 1] = { k };
      },
    });
    expect(f.gcUsPerMessage).toBeGreaterThan(0);
  });

  it('takes the pauses that began within the span, each whole', () => {
    const pauses = [
      { startMs: 9.9, us: 1 },
      { startMs: 10, us: 20 },
      { startMs: 15.5, us: 300 },
      { startMs: 20, us: 4000 },
    ];
    expect(pausesWithin(pauses, 10, 20)).toBe(320);
    expect(pausesWithin(pauses, 0, 100)).toBe(4321);
    expect(pausesWithin([], 0, 100)).toBe(0);
  });

  it('refuses to time no rounds', async () => {
    await expect(floorRun(5, 0, { warmUp: 1 })).rejects.toThrow(
      'floorRun: rounds (0) must be 1 or more, warmUp (1) 0 or more',
    );
  });

  it('warms up over two rounds or 50,000 messages, and times ~300,000 (~10,000 counted)', () => {
    expect([1_000, 10_000, 50_000].map(warmUpRounds)).toEqual([50, 5, 2]);
    expect([1_000, 10_000, 50_000, 200_000].map((n) => floorRounds(n, false))).toEqual([300, 30, 6, 3]);
    expect([1_000, 10_000, 50_000].map((n) => floorRounds(n, true))).toEqual([10, 1, 1]);
  });

  it('refuses a floor without one size, or with what only a month has, naming what is wrong', () => {
    const refusal = (...argv: string[]) => {
      const o = floorOptions(['node', 'month.js', '--floor', ...argv]);
      return 'problem' in o ? o.problem : null;
    };
    const noSize = '--floor measures the broker and client library alone at one size: give it --devices N';
    expect(refusal()).toBe(`${noSize} (got '')`);
    expect(refusal('--devices', 'ten')).toBe(`${noSize} (got 'ten')`);
    expect(refusal('--devices', '0')).toBe(`${noSize} (got '0')`);
    for (const other of ['--days', '--ballast', '--repeat', '--big', '--profile', '--heap-snapshot'])
      expect(refusal('--devices', '10', other, '3')).toBe(
        `--floor measures the broker and client library alone: not with ${other}`,
      );
    expect(refusal('--devices', '10', '--rounds', '0')).toBe(
      "--rounds takes the whole number of rounds to time, 1 or more (got '0')",
    );
    expect(refusal('--devices', '10', '--rounds')).toBe(
      "--rounds takes the whole number of rounds to time, 1 or more (got '')",
    );
    expect(refusal('--devices', '10', '--callgrind', '/no/such/folder/f')).toBe(
      '--callgrind: no folder /no/such/folder to write /no/such/folder/f in',
    );
    expect(floorOptions(['--floor', '--devices', '10'])).toEqual({
      devices: 10,
      rounds: null,
      callgrindTo: undefined,
    });
    expect(floorOptions(['--floor', '--devices', '10', '--rounds', '4'])).toMatchObject({ rounds: 4 });
  });

  it('exits 2 with the refusal through the command', () => {
    const r = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        join(import.meta.dirname, '../../bench/virtual-month.ts'),
        '--floor',
        '--devices',
        '10',
        '--days',
        '3',
      ],
      { encoding: 'utf8' },
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('month: --floor measures the broker and client library alone: not with --days\n');
  });

  it('sets each run beside the floor after it, pair by pair, leaving out a pair that lacks either', () => {
    const month = (settled: number | null, gc: number) =>
      ({ settledCpuUsPerCheckIn: settled, settledGcUsPerCheckIn: gc }) as MonthFigures;
    const floor = (cpu: number, gc: number) => ({ cpuUsPerMessage: cpu, gcUsPerMessage: gc }) as FloorFigures;
    expect(
      besideTheFloor([
        { month: month(40, 3), floor: floor(30, 2) },
        { month: month(36.5, 4), floor: floor(31, 2.5) },
        { month: month(99, 9), floor: null },
        { month: null, floor: floor(1, 1) },
      ]),
    ).toBe(
      "from sim day 3: 38.3 µs [36.5–40] (GC pauses 3.5 µs [3–4]); the floor (aedes + mqtt.js alone): 30.5 µs [30–31] (GC pauses 2.3 µs [2–2.5]); fleetsim's own above it: 7.8 µs [5.5–10]",
    );
    expect(besideTheFloor([{ month: month(null, 0), floor: floor(30, 2) }])).toBeNull();
  });

  it("reads a child's figures from its last line, and says so when there are none", () => {
    expect(lastJson<{ a: number }>('starting\n{"a":1}\n', 'x')).toEqual({ a: 1 });
    expect(lastJson('crashed before its figures\n', 'x')).toBeNull();
    expect(lastJson('', 'x')).toBeNull();
  });
});
