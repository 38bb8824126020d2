import { describe, expect, it } from 'vitest';
import { HOUR_MS } from '../../sim/time-units.ts';
import { act } from '../helpers/admin.ts';
import { startVirtualFleet } from '../helpers/virtual-fleet.ts';

/** design.md, Time: the same seed gives the same event log, byte for byte (sim timestamps only). */
async function run(seed: string, transport: 'memory' | 'tcp') {
  const fleet = await startVirtualFleet({
    seed,
    transport,
    cohorts: [
      { platform: 'ios', count: 3 },
      { platform: 'androidKnox', count: 3 },
      { platform: 'windows10', count: 3, osVersion: '22H2' },
    ],
  });
  try {
    const agents = fleet.runner.all();
    act(fleet, agents[0]!, { action: 'retire' });
    act(fleet, agents[4]!, { action: 'wipe', options: {} });
    act(fleet, agents[7]!, { action: 'wipe', options: { useProtectedWipe: true } });
    await fleet.clock.advanceBy(HOUR_MS / 4);
    agents[7]!.powerOff();
    await fleet.clock.advanceBy(HOUR_MS / 2);
    agents[7]!.powerOn();
    await fleet.clock.advanceBy(10 * HOUR_MS);
    return JSON.stringify(fleet.log.all());
  } finally {
    await fleet.close();
  }
}

describe('determinism', () => {
  it('the same seed gives a byte-identical event log, over in-memory streams and over TCP', async () => {
    const a = await run('same', 'memory');
    const b = await run('same', 'memory');
    const c = await run('same', 'tcp');
    expect(a.length).toBeGreaterThan(1000);
    expect(b).toBe(a);
    expect(c).toBe(a);
  });

  it('another seed gives another log', async () => {
    expect(await run('other', 'memory')).not.toBe(await run('same', 'memory'));
  });
});
