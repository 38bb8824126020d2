import { defineConfig } from 'vitest/config';

/**
 * The suite Stryker runs against each agent/model mutant (see stryker.model.config.mjs): the unit
 * tests that import the model, without the in-process scenario tests. The model's effect tables are
 * module-level data, so most of its mutants are "static" and each runs this whole suite; with the
 * scenario tests it takes about 12 s a mutant (hours for the folder). A smaller suite kills fewer
 * mutants, so the score it gives is a lower bound.
 * Not test/unit/behavior-matrix.test.ts: its snapshot of docs/behavior-matrix.md fails on every
 * table edit, so it would "kill" any mutant of a table row without saying anything about what the
 * action does (a staleness guard, not a behaviour test; `npm test` still runs it).
 */
export default defineConfig({
  test: {
    include: [
      'test/unit/wipe.test.ts',
      'test/unit/retire-*.test.ts',
      'test/unit/fresh-start.test.ts',
      'test/unit/keep-enrollment-wipe.test.ts',
      'test/unit/protected-wipe.test.ts',
      'test/unit/delete-removal.test.ts',
      'test/unit/dashboard-rule-labels.test.ts',
      'test/unit/explain.test.ts',
      'test/unit/delivery.test.ts',
      'test/unit/service.test.ts',
      'test/unit/demo-view.test.ts',
      'test/unit/properties.test.ts',
      'test/unit/model-transitions.test.ts',
      'test/unit/model-device-side.test.ts',
      'test/unit/model-loads.test.ts',
      'test/unit/reset-effects.test.ts',
      'test/unit/retire-effects.test.ts',
      'test/unit/effect-ops.test.ts',
    ],
    testTimeout: 30_000,
  },
});
