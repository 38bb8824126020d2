// @ts-check
import base from './stryker.config.mjs';

/**
 * agent/model with its own, smaller per-mutant suite (vitest.mutation-model.config.ts: the unit tests
 * that import the model, no scenario tests). Its score is a lower bound. See stryker.config.mjs.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  ...base,
  vitest: { configFile: 'vitest.mutation-model.config.ts' },
  mutate: ['agent/model/**/*.ts'],
};
