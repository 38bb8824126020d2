import { defineConfig } from 'vitest/config';

/**
 * The suite Stryker runs against each mutant (`npm run mutation`): the unit tests and the
 * in-process scenario tests — the pure core's own tests. The integration, reliability and browser
 * tests start servers and processes; run per mutant they would take a day on two cores.
 */
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/scenarios/**/*.test.ts'],
    testTimeout: 30_000,
  },
});
