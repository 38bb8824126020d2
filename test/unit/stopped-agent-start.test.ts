import { describe, expect, it } from 'vitest';
import { DEFAULT_EPOCH_MS, generateFleet } from '../../agent/fleet/generator.ts';
import { upgradeSaved } from '../../agent/runtime/agent-store.ts';
import { DeviceAgent } from '../../agent/runtime/device-agent.ts';
import { VirtualClock } from '../../sim/clock/virtual-clock.ts';
import { HOUR_MS } from '../../sim/time-units.ts';
import { unconnectedDeps } from '../helpers/unconnected.ts';

describe('a device agent that has stopped (agent/runtime/device-agent.ts)', () => {
  it('does not start again: a reset left in NVRAM stays as it was, power on', async () => {
    const clock = new VirtualClock(DEFAULT_EPOCH_MS);
    const [device] = generateFleet({ seed: 'stopped', cohorts: [{ platform: 'windows10', count: 1 }] });
    const saved = upgradeSaved({ identity: device!.identity, state: device!.state, cohort: device!.cohort });
    const job = {
      commandId: 'cmd-1',
      action: 'wipe' as const,
      variant: 'full' as const,
      protectedWipe: true,
      persistEsimDataPlan: false,
      macOsUnlockCode: null,
      startedAtMs: DEFAULT_EPOCH_MS,
      durationMs: HOUR_MS,
      attempts: 1,
    };
    saved.state.nvram.resetJob = job;
    const { deps } = unconnectedDeps(clock, 'stopped');
    const agent = new DeviceAgent(saved, deps);
    agent.halt();
    // A restored fleet's later wave, due after the fleet stopped.
    agent.start();
    await clock.advanceBy(2 * HOUR_MS);
    expect(agent.device.state.power).toBe('on');
    expect(agent.device.state.nvram.resetJob).toEqual(job);
    expect(deps.log.all()).toEqual([]);
  });
});
