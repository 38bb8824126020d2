// @ts-check
/**
 * `npm run mutation`: StrykerJS over the pure core and the judge. Not run in CI: it runs the
 * suite once per mutant and takes hours on a 2-core machine. One part at a time, one Stryker at
 * a time, on one core (times measured with --concurrency 1 on the 2-core machine):
 *   npm run mutation -- --concurrency 1 --mutate 'broker/service/**\/*.ts'            (~40 min)
 *   npm run mutation -- --concurrency 1 --mutate 'sim/eligibility.ts'
 *   npm run mutation -- --concurrency 1 --mutate 'broker/http/graph/odata-filter.ts'
 *   npm run mutation -- --concurrency 1 --mutate 'scenarios/engine/**\/*.ts'          (> 45 min)
 * agent/model has its own config with a smaller per-mutant suite (the unit tests that import
 * the model; its score is a lower bound): its effect tables are module-level data, so most of
 * its mutants are static and each runs the whole suite (about 1.2 s a static mutant with this suite,
 * 12 s with the default one). One file at a time, for example:
 *   npx stryker run stryker.model.config.mjs --concurrency 1 --mutate 'agent/model/actions.ts'  (4 min)
 * After adding tests, `--incremental` re-runs only the mutants that survived or whose killing
 * test changed: copy reports/mutation/mutation.json to reports/stryker-incremental.json first.
 * It keeps a static mutant's survival as it was (no test "covers" a static mutant), so delete
 * the static survivors from that file to have them run again.
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
  // An effect row's dataType/note text only feeds docs/behavior-matrix.md: reported as Ignored, with
  // the reason (tools/stryker/doc-text-ignorer.mjs).
  plugins: ['@stryker-mutator/*', './tools/stryker/doc-text-ignorer.mjs'],
  ignorers: ['doc-text'],
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
