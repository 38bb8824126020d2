import { describe, expect, it } from 'vitest';

/**
 * The schema module builds its discriminated unions when it loads, and one that cannot be built
 * throws then. Imported inside the test rather than at the top, so that such a failure fails this
 * test: a test file that cannot load has no tests, and a mutation run counts that as none failing.
 */
describe('the scenario schema module', () => {
  it('loads, with every step kind and every expectation kind an option of its union', async () => {
    const { actionStepSchema, expectationSchema } = await import('../../scenarios/engine/schema.ts');
    const { ACTION_STEPS } = await import('../../scenarios/engine/load.ts');
    // The steps that ask the service for an action come first.
    expect(actionStepSchema.options.map((o) => o.shape.do.value)).toEqual([
      ...ACTION_STEPS,
      'cleanupSettings',
      'deleteUser',
      'deleteAzureAdDevice',
      'abm',
      'power',
      'network',
      'pushChannel',
      'fault',
      'enrollAgain',
      'restartService',
    ]);
    expect(expectationSchema.options.map((o) => o.shape.expect.value)).toEqual([
      'acknowledged',
      'completed',
      'pending',
      'propagation',
      'state',
      'record',
    ]);
  });
});
