import { describe, expect, it } from 'vitest';
import type { StepOutcome } from '../../scenarios/engine/runner.ts';
import { action, context, MIN, run, T0 } from '../helpers/judge-context.ts';

/** Which devices the judge counts, and which one a percentile picks. */
describe("the judge over a step's outcomes", () => {
  it('a device the step refused (no action) is left out of every kind that reads actions', () => {
    const ctx = context([
      action('a', { acknowledgedAtMs: T0 + MIN, completedAtMs: T0 + 2 * MIN, state: 'done' }),
    ]);
    (ctx.outcomes.get('step') as StepOutcome[]).push({
      serialNumber: 'SN-refused',
      action: null,
      refusal: { code: 'NotSupported', message: 'not on this platform' },
    });
    expect(run({ expect: 'acknowledged', of: 'step', within: '15m' }, ctx)).toMatchObject({
      passed: true,
      found: 'all 1 as expected',
    });
    expect(run({ expect: 'completed', of: 'step', within: '15m' }, ctx)).toMatchObject({
      passed: true,
      description: 'step completed within 15m (all)',
      expected: 'completed within 15m',
      found: 'all 1 as expected',
    });
    expect(run({ expect: 'pending', of: 'step', at: '1h' }, ctx)).toMatchObject({
      passed: false,
      found: '0 of 1 as expected; SN-a: done',
    });
    expect(run({ expect: 'propagation', of: 'step', percentile: 100, below: '15m' }, ctx)).toMatchObject({
      passed: true,
      found: 'p100 = 1.0 min over 1 devices',
    });
  });

  it('propagation p0 is the fastest device, p100 the slowest', () => {
    const ctx = context([
      action('a', { acknowledgedAtMs: T0 + 3 * MIN }),
      action('b', { acknowledgedAtMs: T0 + MIN }),
      action('c', { acknowledgedAtMs: T0 + 2 * MIN }),
    ]);
    expect(run({ expect: 'propagation', of: 'step', percentile: 0, below: '15m' }, ctx)).toMatchObject({
      passed: true,
      found: 'p0 = 1.0 min over 3 devices',
    });
    expect(run({ expect: 'propagation', of: 'step', percentile: 100, below: '15m' }, ctx).found).toBe(
      'p100 = 3.0 min over 3 devices',
    );
  });
});
