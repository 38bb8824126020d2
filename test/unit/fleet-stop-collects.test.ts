import { describe, expect, it } from 'vitest';
import { DEFAULT_EPOCH_MS } from '../../agent/fleet/generator.ts';
import { FleetRunner } from '../../agent/runtime/fleet-runner.ts';
import { VirtualClock } from '../../sim/clock/virtual-clock.ts';
import { FULL_GC_FROM_DEVICES, fullCollectionsSoFar } from '../../sim/full-gc.ts';
import { unconnectedDeps } from '../helpers/unconnected.ts';

/** A fleet of `count` devices that never get a connection (none is needed to stop them). */
function fleetOf(count: number): FleetRunner {
  const runner = new FleetRunner(unconnectedDeps(new VirtualClock(DEFAULT_EPOCH_MS), 'stop-collects').deps);
  runner.addFleet({ cohorts: [{ platform: 'windows10', count }], epochMs: DEFAULT_EPOCH_MS });
  return runner;
}

describe('stopping a big fleet (agent/runtime/fleet-runner.ts, sim/full-gc.ts)', () => {
  it('collects the heap in full once before closing, from a thousand devices on', async () => {
    expect(FULL_GC_FROM_DEVICES).toBe(1_000);
    const before = fullCollectionsSoFar();
    await fleetOf(FULL_GC_FROM_DEVICES - 1).stop();
    expect(fullCollectionsSoFar(), 'a smaller fleet stops without one').toBe(before);
    await fleetOf(FULL_GC_FROM_DEVICES).stop();
    expect(fullCollectionsSoFar()).toBe(before + 1);
  });
});
