import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isMap, isScalar, parseDocument } from 'yaml';
import { scenarioFiles } from '../../cli/run.ts';
import { loadScenarioFile, ScenarioError } from '../../scenarios/engine/load.ts';

/**
 * No silent passes: every fact of every library scenario, turned into a misspelled twin (one path
 * segment, selector key, selector value or expected value at a time), must be refused when the
 * file loads — before, a misspelled path asserted `absent` resolved to nothing and passed.
 */
const twin = (word: string) => `${word.slice(0, -1)}${word.endsWith('z') ? 'q' : 'z'}`;

/** Every misspelling of one fact path: each field name, selector key and selector value in turn. */
function pathTwins(path: string): string[] {
  const tokens = [...path.matchAll(/[A-Za-z0-9_]+/g)];
  return tokens.map((m) => `${path.slice(0, m.index)}${twin(m[0])}${path.slice(m.index + m[0].length)}`);
}

const dir = mkdtempSync(join(tmpdir(), 'fleetsim-twins-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cases = scenarioFiles(['scenarios']).flatMap((file) => {
  const doc = parseDocument(readFileSync(file, 'utf8'));
  const out: { file: string; fact: string; text: string }[] = [];
  const expectations = doc.get('expect') as { items: unknown[] };
  expectations.items.forEach((e, i) => {
    const facts = isMap(e) ? e.get('facts') : undefined;
    if (!isMap(facts)) return;
    for (const pair of facts.items) {
      const path = String((pair.key as { value: unknown }).value);
      const variants = pathTwins(path).map((p) => ({ key: p, value: pair.value }));
      const value = isScalar(pair.value) ? pair.value.value : undefined;
      if (typeof value === 'string' && value !== 'present' && value !== 'absent')
        variants.push({ key: path, value: twin(value) as never });
      for (const v of variants) {
        const copy = doc.clone();
        const map = copy.getIn(['expect', i, 'facts']) as typeof facts;
        map.delete(path);
        map.set(v.key, v.value);
        out.push({
          file,
          fact: `expect ${i}: ${v.key} = ${JSON.stringify(String(v.value))}`,
          text: copy.toString(),
        });
      }
    }
  });
  return out;
});

describe('a misspelled fact is refused when the scenario loads', () => {
  it('covers the library: at least one fact per scenario that has state expectations', () => {
    expect(cases.length).toBeGreaterThan(200);
  });

  it.each(cases.map((c) => [`${basename(c.file)} ${c.fact}`, c] as const))('%s', (_, c) => {
    const path = join(dir, basename(c.file));
    writeFileSync(
      path,
      c.text.replace(
        /include: \[([^\]]*)\]/,
        (_m, inc) => `include: [${join(process.cwd(), 'scenarios', inc.trim())}]`,
      ),
    );
    let problems: ScenarioError['problems'] = [];
    try {
      loadScenarioFile(path);
    } catch (e) {
      if (!(e instanceof ScenarioError)) throw e;
      problems = e.problems;
    }
    expect(problems.map((p) => p.field)).toContainEqual(expect.stringMatching(/^expect\.\d+\.facts\./));
  });
});
