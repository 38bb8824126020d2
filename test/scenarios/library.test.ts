import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { scenarioFiles } from '../../cli/run.ts';
import { loadScenarioFile } from '../../scenarios/engine/load.ts';
import { runScenario } from '../../scenarios/engine/runner.ts';
import { scenarioJsonSchema } from '../../scenarios/engine/schema.ts';

/** The scenario library: every file valid, every scenario passing, every rule of sections 1–5 covered. */
const files = scenarioFiles(['scenarios']);
/**
 * behavior-spec.md is outside the repository, beside it. Looked for upwards from here: Stryker runs
 * the tests from a sandbox two folders deeper, where a fixed '../../../' found nothing and this
 * whole file failed to load — so mutation runs silently left the library and the schema check out.
 */
function specText(): string {
  for (let dir = fileURLToPath(new URL('.', import.meta.url)); dir !== dirname(dir); dir = dirname(dir)) {
    const path = join(dir, 'shared/reference/behavior-spec.md');
    if (existsSync(path)) return readFileSync(path, 'utf8');
  }
  throw new Error('shared/reference/behavior-spec.md not found above test/scenarios');
}
const SECTIONS_1_TO_5 = [...specText().matchAll(/\b(W|R|D|F|S)(-(KEEP|PROT|IOS|DA|AE|MAC|WIN))?-\d+\b/g)].map(
  (m) => m[0],
);

describe('the scenario library', () => {
  it('has scenario files', () => {
    expect(files.length).toBeGreaterThanOrEqual(15);
  });

  it("every library scenario names the rules it checks (specIds are optional for users' own files)", () => {
    const without = files.filter((f) => (loadScenarioFile(f).scenario.specIds ?? []).length === 0);
    expect(without).toEqual([]);
  });

  it('lists, between its scenarios, every rule ID of behavior-spec.md sections 1–5', () => {
    const named = new Set(files.flatMap((f) => loadScenarioFile(f).scenario.specIds ?? []));
    const missing = [...new Set(SECTIONS_1_TO_5)].filter((id) => !named.has(id)).sort();
    expect(missing, 'rules no scenario checks').toEqual([]);
  });

  it('every spec ID an expectation names is one its scenario lists', () => {
    for (const f of files) {
      const { scenario } = loadScenarioFile(f);
      const listed = new Set(scenario.specIds ?? []);
      for (const e of scenario.expect)
        for (const id of e.specIds ?? []) expect(listed.has(id), `${f}: ${id}`).toBe(true);
    }
  });

  it.each(files)('%s passes', async (file) => {
    const result = await runScenario(loadScenarioFile(file));
    const failures = [
      ...result.stepErrors,
      ...result.expectations
        .filter((e) => !e.passed)
        .map((e) => `${e.description}: expected ${e.expected}; found ${e.found}`),
    ];
    expect(failures).toEqual([]);
    expect(result.passed).toBe(true);
  });

  it('scenarios/scenario.schema.json is what `npm run docs` generates', () => {
    const committed = JSON.parse(
      readFileSync(new URL('../../scenarios/scenario.schema.json', import.meta.url), 'utf8'),
    );
    expect(committed).toEqual(JSON.parse(JSON.stringify(scenarioJsonSchema())));
  });
});
