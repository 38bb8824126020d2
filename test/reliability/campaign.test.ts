import { describe, expect, it } from 'vitest';
import { runSeed } from '../../tools/campaign/run-seed.ts';

/**
 * A few seeds of the crash campaign in CI (`npm run campaign` runs 20 of each): the service or
 * the agents killed with SIGKILL during enrollment, delivery, and resets and results, started
 * again on the same databases — nothing lost, doubled, stuck or circumvented (W-PROT-1).
 */
describe('crash campaign (SIGKILL at seeded points, real processes through the fleetsim binary)', () => {
  it.each([
    ['service', 'ci-1'],
    ['service', 'ci-2'],
    ['agents', 'ci-1'],
    ['agents', 'ci-2'],
  ] as const)(
    'kill the %s, seed %s: 0 lost, 0 duplicated, 0 stuck, 0 circumvented',
    async (victim, seed) => {
      const r = await runSeed({ seed, victim });
      expect(r.kills.map((k) => k.at)).toEqual([
        'during enrollment',
        'during delivery',
        'during resets and results',
      ]);
      expect(r.problems).toEqual([]);
      expect(r).toMatchObject({
        enrolled: r.devices,
        actionsLost: 0,
        actionsDuplicated: 0,
        actionsStuck: 0,
        devicesDuplicated: 0,
        protectedWipesCircumvented: 0,
      });
      expect(r.actionsRequested).toBeGreaterThan(0);
      expect(r.actionsFinal).toBeGreaterThanOrEqual(r.actionsRequested);
    },
    240_000,
  );
});
