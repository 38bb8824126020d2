import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_EPOCH_MS } from '../../agent/fleet/generator.ts';
import { AgentStore } from '../../agent/runtime/agent-store.ts';
import { DeviceAgent } from '../../agent/runtime/device-agent.ts';
import { FleetRunner, START_WAVE, START_WAVE_GAP_MS } from '../../agent/runtime/fleet-runner.ts';
import { ScaledClock } from '../../sim/clock/scaled-clock.ts';
import type { Clock } from '../../sim/clock/types.ts';
import { VirtualClock } from '../../sim/clock/virtual-clock.ts';
import { unconnectedDeps } from '../helpers/unconnected.ts';

/** A runner whose devices' connections never complete: each started device asks for one, once. */
function runnerOn(clock: Clock, store: AgentStore | null = null, restore = false) {
  const { asked, deps } = unconnectedDeps(clock, 'start', store);
  const runner = new FleetRunner(deps);
  if (restore) runner.restore();
  else runner.addFleet({ cohorts: [{ platform: 'ios', count: 250 }], epochMs: DEFAULT_EPOCH_MS });
  return asked;
}

describe('when a fleet of more than a hundred devices starts (agent/runtime/fleet-runner.ts)', () => {
  it('on the scaled clock, every device at once: load tests measure that burst', () => {
    const clock = new ScaledClock({ simOriginMs: DEFAULT_EPOCH_MS, wallOriginMs: Date.now(), speed: 60 });
    try {
      expect(runnerOn(clock)).toHaveLength(250);
    } finally {
      clock.dispose();
    }
  });

  it('on the virtual clock, the first hundred, and the rest in waves as sim time passes', async () => {
    const clock = new VirtualClock(DEFAULT_EPOCH_MS);
    const asked = runnerOn(clock);
    expect(asked).toHaveLength(START_WAVE);
    await clock.advanceBy(START_WAVE_GAP_MS);
    expect(asked).toHaveLength(2 * START_WAVE);
    await clock.advanceBy(START_WAVE_GAP_MS);
    expect(asked).toHaveLength(250);
  });

  it('restored from its store on the virtual clock, in the same waves', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fleetsim-restore-'));
    const store = new AgentStore(join(dir, 'agents.db'));
    try {
      runnerOn(new VirtualClock(DEFAULT_EPOCH_MS), store); // stored before any starts
      const clock = new VirtualClock(DEFAULT_EPOCH_MS);
      const asked = runnerOn(clock, store, true);
      expect(asked).toHaveLength(START_WAVE);
      await clock.advanceBy(START_WAVE_GAP_MS);
      expect(asked).toHaveLength(2 * START_WAVE);
      await clock.advanceBy(START_WAVE_GAP_MS);
      expect(asked).toHaveLength(250);
    } finally {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('restored and added at one instant, shares its waves: still a hundred at most a step', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fleetsim-restore-'));
    const store = new AgentStore(join(dir, 'agents.db'));
    try {
      new FleetRunner(unconnectedDeps(new VirtualClock(DEFAULT_EPOCH_MS), 'start', store).deps).addFleet({
        cohorts: [{ platform: 'ios', count: 150 }],
        epochMs: DEFAULT_EPOCH_MS,
      });
      const clock = new VirtualClock(DEFAULT_EPOCH_MS);
      const { asked, deps } = unconnectedDeps(clock, 'start', store);
      const runner = new FleetRunner(deps);
      const started: string[] = [];
      const start = DeviceAgent.prototype.start;
      vi.spyOn(DeviceAgent.prototype, 'start').mockImplementation(function (this: DeviceAgent) {
        started.push(this.serialNumber);
        return start.call(this);
      });
      const restored = runner.restore();
      expect(restored).toHaveLength(150);
      const added = runner.addFleet({
        seed: 'more',
        cohorts: [{ platform: 'androidDeviceAdmin', count: 120 }],
        epochMs: DEFAULT_EPOCH_MS,
      });
      expect(added).toHaveLength(120);
      // Each call on its own started 100 at once: 200 in the first step, then 50 + 20.
      const perStep = [asked.length];
      for (let step = 0; step < 3; step++) {
        await clock.advanceBy(START_WAVE_GAP_MS);
        perStep.push(asked.length - perStep.reduce((a, b) => a + b, 0));
      }
      expect(perStep).toEqual([100, 100, 70, 0]);
      // The restored devices first, in their order, then the added ones: the order they were asked for.
      expect(started).toEqual([...restored, ...added].map((a) => a.serialNumber));
    } finally {
      vi.restoreAllMocks();
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('added again later, after the waves before ran, starts at once', async () => {
    const clock = new VirtualClock(DEFAULT_EPOCH_MS);
    const { asked, deps } = unconnectedDeps(clock, 'start');
    const runner = new FleetRunner(deps);
    runner.addFleet({ cohorts: [{ platform: 'ios', count: 150 }], epochMs: DEFAULT_EPOCH_MS });
    await clock.advanceBy(START_WAVE_GAP_MS);
    expect(asked).toHaveLength(150);
    runner.addFleet({ seed: 'more', cohorts: [{ platform: 'ios', count: 30 }], epochMs: DEFAULT_EPOCH_MS });
    expect(asked).toHaveLength(180);
  });

  it('added again within 200 ms of a wave, counts what that wave started', async () => {
    const clock = new VirtualClock(DEFAULT_EPOCH_MS);
    const { asked, deps } = unconnectedDeps(clock, 'start');
    const runner = new FleetRunner(deps);
    runner.addFleet({ cohorts: [{ platform: 'ios', count: 150 }], epochMs: DEFAULT_EPOCH_MS });
    await clock.advanceBy(START_WAVE_GAP_MS + 1); // the second wave (50) started 1 ms ago
    expect(asked).toHaveLength(150);
    runner.addFleet({ seed: 'more', cohorts: [{ platform: 'ios', count: 80 }], epochMs: DEFAULT_EPOCH_MS });
    expect(asked).toHaveLength(200);
    await clock.advanceBy(START_WAVE_GAP_MS - 2);
    expect(asked).toHaveLength(200);
    await clock.advanceBy(1); // the next 200 ms from the second wave's
    expect(asked).toHaveLength(230);
    // 70 fill that wave; 30 go to the next one, 200 ms on, and so does anything asked for meanwhile.
    runner.addFleet({ seed: 'again', cohorts: [{ platform: 'ios', count: 100 }], epochMs: DEFAULT_EPOCH_MS });
    expect(asked).toHaveLength(300);
    await clock.advanceBy(1);
    runner.addFleet({ seed: 'last', cohorts: [{ platform: 'ios', count: 10 }], epochMs: DEFAULT_EPOCH_MS });
    expect(asked).toHaveLength(300);
    await clock.advanceBy(START_WAVE_GAP_MS - 2);
    expect(asked).toHaveLength(300);
    await clock.advanceBy(1);
    expect(asked).toHaveLength(340);
  });
});
