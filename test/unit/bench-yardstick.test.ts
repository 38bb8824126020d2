import { describe, expect, it } from 'vitest';
import { describeMachine, measureMachine } from '../../bench/yardstick.ts';

describe("the month bench's yardstick of the machine (bench/yardstick.ts)", () => {
  it('reads a CPU loop and a random read of memory, and says which is which', () => {
    const y = measureMachine({ steps: 100_000, slots: 1 << 16, reads: 10_000 });
    for (const v of [y.cpuMs, y.randomReadNs]) {
      expect(Number.isInteger(v)).toBe(true);
      expect(v).toBeGreaterThan(0);
    }
    expect(describeMachine({ cpuMs: 123, randomReadNs: 255 })).toBe(
      'this machine: a fixed CPU loop 123 ms, a random read of memory 255 ns',
    );
  });
});
