import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { floorRounds, floorRun, warmUpRounds } from '../../bench/month-floor.ts';

describe("the month bench's floor: aedes and mqtt.js alone on fleetsim's in-memory path", () => {
  it('has every client publish once a round, and the service client receives every message', async () => {
    const f = await floorRun(40, 3, 2);
    expect(f).toMatchObject({ devices: 40, rounds: 3, warmUpRounds: 2, messages: 120, delivered: 200 });
    for (const us of [f.cpuUsPerMessage, f.gcUsPerMessage, f.connectS, f.peakRssKbPerDevice])
      expect(Number.isFinite(us) && us >= 0).toBe(true);
    expect(f.cpuUsPerMessage).toBeGreaterThan(0);
  });

  it('refuses to time no rounds before it connects a client', async () => {
    await expect(floorRun(5, 0, 1)).rejects.toThrow(
      'floorRun: rounds (0) must be 1 or more, warmUp (1) 0 or more',
    );
  });

  it('warms up over two rounds or 50,000 messages, and times ~300,000 (~10,000 counted)', () => {
    expect([1_000, 10_000, 50_000].map(warmUpRounds)).toEqual([50, 5, 2]);
    expect([1_000, 10_000, 50_000, 200_000].map((n) => floorRounds(n, false))).toEqual([300, 30, 6, 3]);
    expect([1_000, 10_000, 50_000].map((n) => floorRounds(n, true))).toEqual([10, 1, 1]);
  });

  it('refuses a floor without one size, or with what only a month has, naming what is wrong', () => {
    const month = (...args: string[]) =>
      spawnSync(
        process.execPath,
        ['--import', 'tsx', join(import.meta.dirname, '../../bench/virtual-month.ts'), ...args],
        {
          encoding: 'utf8',
        },
      );
    for (const args of [
      ['--floor'],
      ['--floor', '--devices', '10', '--days', '3'],
      ['--floor', '--devices', 'ten'],
    ]) {
      const r = month(...args);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(
        '--floor measures the broker and client library alone at one size: give it --devices N',
      );
    }
    const r = month('--floor', '--devices', '10', '--rounds', '0');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("--rounds takes the whole number of rounds to time, 1 or more (got '0')");
  });
});
