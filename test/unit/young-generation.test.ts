import { describe, expect, it } from 'vitest';
import { semiSpaceGiven, youngGenerationFlag, youngGenerationFlagFor } from '../../cli/young-generation.ts';
import type { LoadedScenario } from '../../scenarios/engine/load.ts';

const scenarioOf = (...counts: number[]) =>
  ({
    cohorts: counts.map((count) => ({ name: `c${count}`, platform: 'ios', count })),
  }) as unknown as LoadedScenario;

describe("fleetsim run's young generation (cli/young-generation.ts)", () => {
  it("is node's own up to 20,000 devices, 64 MB semi-spaces above", () => {
    expect(youngGenerationFlagFor(1)).toBeNull();
    expect(youngGenerationFlagFor(20_000)).toBeNull();
    expect(youngGenerationFlagFor(20_001)).toBe('--max-semi-space-size=64');
  });

  it("follows the largest scenario's whole fleet, every cohort counted", () => {
    expect(youngGenerationFlag([])).toBeNull();
    expect(youngGenerationFlag([scenarioOf(10_000, 10_000), scenarioOf(5)])).toBeNull();
    expect(youngGenerationFlag([scenarioOf(5), scenarioOf(10_000, 10_001)])).toBe('--max-semi-space-size=64');
  });

  it('leaves a size given to node alone, on its command line or in NODE_OPTIONS, however spelled', () => {
    expect(semiSpaceGiven([], '')).toBe(false);
    expect(semiSpaceGiven(['--max-semi-space-size=8'], '')).toBe(true);
    expect(semiSpaceGiven(['--max_semi_space_size', '8'], '')).toBe(true);
    expect(semiSpaceGiven([], '--require=x.cjs --max-semi-space-size=32')).toBe(true);
    expect(semiSpaceGiven(['--max-semi-space-size-extra=1'], '--semi-space-growth-factor=2')).toBe(false);
  });
});
