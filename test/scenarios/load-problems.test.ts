import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadScenarioFile, ScenarioError, type ScenarioProblem } from '../../scenarios/engine/load.ts';
import { scenarioFiles } from '../helpers/scenario-files.ts';

/** What the loader refuses beyond the schema, each problem with its file, line, column and field. */
const { dir, write, problemsOf, remove } = scenarioFiles('fleetsim-load-');
afterAll(remove);
const short = (ps: ScenarioProblem[]) => ps.map((p) => `${p.line}:${p.column} ${p.field} | ${p.message}`);

write('shared.yaml', 'cohorts:\n  - { name: shared, platform: macos, count: 2 }\n');
const EXPECT = `expect:
  - { expect: state, at: 1h, target: all, facts: { online: true } }
`;

describe('the loader', () => {
  it('a cohort defined twice, a step id used twice', () => {
    const path = write(
      'twice.yaml',
      `name: twice
include: [shared.yaml]
fleet:
  - { name: a, platform: ios, count: 1 }
  - { name: a, platform: ios, count: 1 }
timeline:
  - { at: 1h, id: s, do: sync, target: all }
  - { at: 2h, id: s, do: sync, target: all }
${EXPECT}`,
    );
    expect(short(problemsOf(path))).toEqual([
      "5:13 fleet.name | cohort 'a' is defined twice",
      "8:19 timeline.1.id | step id 's' is used twice",
    ]);
  });

  it('includes: cohorts from included files come first; one that cannot be read is named, with where it was looked for', () => {
    const ok = loadScenarioFile(
      write(
        'inc.yaml',
        `name: inc\ninclude: [shared.yaml]\nfleet:\n  - { name: own, platform: ios, count: 1 }\n${EXPECT}`,
      ),
    );
    expect(ok.cohorts.map((c) => c.name)).toEqual(['shared', 'own']);
    const path = write('missing.yaml', `name: missing\ninclude: [nope.yaml]\n${EXPECT}`);
    expect(short(problemsOf(path))).toEqual([
      `2:11 include.0 | cannot read nope.yaml (looked for ${join(dir, 'nope.yaml')})`,
      '1:1 fleet | expected at least one cohort (in fleet or an included file)',
    ]);
  });

  it('an enrollment type the platform does not have', () => {
    const path = write(
      'mode.yaml',
      `name: mode\nfleet:\n  - { name: a, platform: ios, count: 1, enrollmentType: azureAdJoin }\n${EXPECT}`,
    );
    expect(short(problemsOf(path))).toEqual([
      '3:5 cohort a | enrollmentType for ios is one of companyPortal, automatedDeviceEnrollment, appleUserEnrollment',
    ]);
  });

  it('an expectation about steps when no step has an id says so', () => {
    const path = write(
      'noid.yaml',
      `name: noid\nfleet:\n  - { name: a, platform: ios, count: 1 }\ntimeline:\n  - { at: 1h, do: sync, target: all }\nexpect:\n  - { expect: acknowledged, of: x, within: 1h }\n`,
    );
    expect(short(problemsOf(path))).toEqual([
      "7:33 expect.0.of | expected the id of an action step (none has an id); given 'x'",
    ]);
  });

  it("fact paths are checked against the target's platforms only", () => {
    const path = write(
      'facts.yaml',
      `name: facts
fleet:
  - { name: mac, platform: macos, count: 1 }
  - { name: phone, platform: ios, count: 1 }
expect:
  - { expect: state, at: 1h, target: { cohort: mac }, facts: { state.outlook.receivesNewMail: true } }
  - { expect: state, at: 1h, target: { cohort: phone }, facts: { state.outlook.receivesNewMail: true } }
`,
    );
    expect(short(problemsOf(path))).toEqual([
      "7:97 expect.1.facts.state.outlook.receivesNewMail | 'state.outlook' exists only on macos; the target has ios",
    ]);
  });

  it('a wrong step kind is "one of" the kinds, said once; a long given value is cut short', () => {
    const long = 'x'.repeat(80);
    const path = write(
      'kind.yaml',
      `name: kind\nfleet:\n  - { name: a, platform: ios, count: 1 }\ntimeline:\n  - { at: 1h, do: explode, target: all }\n  - { at: ${long}, do: sync, target: all }\n  - { at: ${'y'.repeat(58)}, do: sync, target: all }\n${EXPECT}`,
    );
    const problems = problemsOf(path);
    expect(problems[0]?.message).toMatch(
      /^expected one of wipe, retire, freshStart, sync, delete, companyPortal, cleanupSettings, /,
    );
    expect(problems[0]?.message).toMatch(/; given "explode"$/);
    expect(problems[1]?.message).toBe(
      `expected a duration such as 90s, 15m, 8h, 30d or PT15M; given "${'x'.repeat(56)}…`,
    );
    // Exactly 60 characters of JSON are shown whole.
    expect(problems[2]?.message).toBe(
      `expected a duration such as 90s, 15m, 8h, 30d or PT15M; given "${'y'.repeat(58)}"`,
    );
  });

  it('the error message lists every problem as file:line:column: field: message', () => {
    const path = write(
      'msg.yaml',
      'name: msg\nexpect:\n  - { expect: state, at: 1h, target: all, facts: { online: true } }\n',
    );
    expect(() => loadScenarioFile(path)).toThrow(
      new ScenarioError([
        {
          file: path,
          line: 1,
          column: 1,
          field: 'fleet',
          message: 'expected at least one cohort (in fleet or an included file)',
        },
      ]),
    );
    expect(new ScenarioError([{ file: 'f', line: 2, column: 3, field: '', message: 'm' }]).message).toBe(
      'f:2:3: m',
    );
    expect(new ScenarioError([]).name).toBe('ScenarioError');
  });

  it('at most 20 schema problems are listed', () => {
    const steps = Array.from({ length: 25 }, (_, i) => `  - { at: soon${i}, do: sync, target: all }`).join(
      '\n',
    );
    const path = write(
      'many.yaml',
      `name: many\nfleet:\n  - { name: a, platform: ios, count: 1 }\ntimeline:\n${steps}\n${EXPECT}`,
    );
    expect(problemsOf(path)).toHaveLength(20);
  });
});
