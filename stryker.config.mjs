// @ts-check
/**
 * `npm run mutation`: StrykerJS over the pure core and the judge. Not run in CI: it runs the
 * suite once per mutant and takes hours on a 2-core machine. One folder at a time, for example:
 *   npm run mutation -- --mutate 'scenarios/engine/**\/*.ts'
 * Reports: reports/mutation/mutation.html and .json (reports/ is not committed).
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts' },
  mutate: [
    'agent/model/**/*.ts',
    'sim/eligibility.ts',
    'broker/service/**/*.ts',
    'broker/http/graph/odata-filter.ts',
    'scenarios/engine/**/*.ts',
  ],
  // Only the tests that run a mutant's code are run against it.
  coverageAnalysis: 'perTest',
  concurrency: 2,
  timeoutMS: 60_000,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  // The issue's target: a mutation score of at least 85%.
  thresholds: { high: 85, low: 70, break: null },
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
};
