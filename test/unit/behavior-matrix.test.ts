import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RESET_RULES } from '../../agent/model/effects/reset-rules.ts';
import { RETIRE_RULES } from '../../agent/model/effects/retire-rules.ts';
import { RESULT_RULES } from '../../broker/service/results.ts';
import { REASONS } from '../../sim/reasons.ts';
import { renderBehaviorMatrix } from '../../tools/behavior-matrix.ts';

const SPEC_ID = /^(W|R|D|F|S)(-(KEEP|PROT|IOS|DA|AE|MAC|WIN))?-\d+$/;

/**
 * Staleness guards for the generated document, not behaviour tests: the snapshot fails on any table
 * edit, so it says nothing about what an action does (the per-platform tests and properties do).
 */
describe('docs/behavior-matrix.md (staleness, not behaviour)', () => {
  it('is what `npm run docs` generates from the tables (run it after changing a table)', () => {
    const committed = readFileSync(new URL('../../docs/behavior-matrix.md', import.meta.url), 'utf8');
    expect(committed).toBe(renderBehaviorMatrix());
  });

  it('every effect row, result rule and reason names a behaviour-spec rule (and a result rule says why)', () => {
    for (const row of [...RETIRE_RULES, ...Object.values(RESET_RULES).flat()])
      expect(row.specId).toMatch(SPEC_ID);
    for (const rule of RESULT_RULES) {
      for (const id of rule.specId.split(', ')) expect(id, rule.why).toMatch(SPEC_ID);
      expect(rule.why.length, rule.specId).toBeGreaterThan(20);
    }
    for (const [code, reason] of Object.entries(REASONS))
      expect(reason.specId, code).toMatch(reason.specId === '[design]' ? /^\[design\]$/ : SPEC_ID);
  });

  it('every reason code appears in the generated document', () => {
    const doc = renderBehaviorMatrix();
    for (const code of Object.keys(REASONS)) expect(doc).toContain(`\`${code}\``);
  });
});
