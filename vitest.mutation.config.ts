import { configDefaults, defineConfig } from 'vitest/config';

/**
 * The suite Stryker runs against each mutant (`npm run mutation`): the unit tests and the
 * in-process scenario tests — the pure core's own tests. The integration, reliability and browser
 * tests start servers and processes; run per mutant they would take a day on two cores.
 */
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/scenarios/**/*.test.ts'],
    // The behaviour-matrix snapshot fails on every table edit, so it would "kill" any mutant of an
    // effect table or result rule without asserting what an action does: a staleness guard, not a
    // behaviour test (`npm test` still runs it). Excluded so the mutation score counts behaviour only.
    exclude: [...configDefaults.exclude, 'test/unit/behavior-matrix.test.ts'],
    testTimeout: 30_000,
  },
});
