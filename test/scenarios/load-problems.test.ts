import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadScenarioFile, ScenarioError, type ScenarioProblem } from '../../scenarios/engine/load.ts';
import { scenarioFiles } from '../helpers/scenario-files.ts';

/** What the loader refuses beyond the schema, each problem with its file, line, column and field. */
const { dir, write, problemsOf, remove } = scenarioFiles('fleetsim-load-');
afterAll(remove);
const short = (ps: ScenarioProblem[]) => ps.map((p) => `${p.line}:${p.column} ${p.field} | ${p.message}`);

write('shared.yaml', 'cohorts:\n  - { name: shared, platform: macos, count: 2 }\n');
write('one.yaml', 'cohorts:\n  - { name: one, platform: ios, count: 1 }\n');
write(
  'bad-cohort.yaml',
  'cohorts:\n  - { name: inc, platform: ios, count: 1, osVersion: "1.0", overrides: { outlookConditionalAccess: true } }\n',
);
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

describe('where the loader points: line, column and field of each problem', () => {
  const at = (name: string, text: string) => short(problemsOf(write(name, text)));

  it('the schema: a missing, null, object-valued or unknown field; an empty file; a YAML syntax error', () => {
    const cohort = (fields: string) =>
      at('schema.yaml', `name: m\nfleet:\n  - { name: a, ${fields} }\n${EXPECT}`);
    // Missing: the position of the map it is missing from, "given nothing".
    expect(cohort('platform: ios')).toEqual([
      '3:5 fleet.0.count | expected number, received undefined; given nothing',
    ]);
    expect(cohort('platform: ios, count: 0')).toEqual([
      '3:38 fleet.0.count | expected number to be >=1; given 0',
    ]);
    expect(cohort('platform: ios, count: null')).toEqual([
      '3:38 fleet.0.count | expected number, received null; given null',
    ]);
    expect(cohort('platform: ios, count: { x: 1 }')).toEqual([
      '3:38 fleet.0.count | expected number, received object; given {"x":1}',
    ]);
    expect(cohort('platform: ios, count: 1, colour: red')).toEqual([
      `3:49 fleet.0.colour | expected no field 'colour' here; given "red"`,
    ]);
    // An enum's choices ("a"|"b", no spaces) said as "one of", like a step kind's ('a' | 'b').
    expect(cohort('platform: iox, count: 1')[0]).toMatch(
      /^3:26 fleet\.0\.platform \| expected one of ios, macos, androidDeviceAdmin, .*, windows10; given "iox"$/,
    );
    expect(at('empty.yaml', '')).toEqual(['1:1  | expected object, received null; given null']);
    expect(at('syntax.yaml', 'name: m\nfleet: [1,\n')).toEqual([
      '3:1  | YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]',
    ]);
  });

  it('no cohort: at the empty fleet when there is one, else where the document starts', () => {
    expect(at('nofleet.yaml', `# a comment\n\nname: c\n${EXPECT}`)).toEqual([
      '3:1 fleet | expected at least one cohort (in fleet or an included file)',
    ]);
    expect(at('emptyfleet.yaml', `name: c\nfleet: []\n${EXPECT}`)).toEqual([
      '2:8 fleet | expected at least one cohort (in fleet or an included file)',
    ]);
  });

  it("an included cohort's problems point at the includes, the file's own at the cohort", () => {
    expect(
      at(
        'inc-problems.yaml',
        `name: i
include: [bad-cohort.yaml, one.yaml, one.yaml]
fleet:
  - { name: own, platform: macos, count: 1, overrides: { esimDataPlan: true, apps: [{ kind: storeOem, name: X }] } }
  - { name: own, platform: ios, count: 1 }
${EXPECT}`,
      ),
    ).toEqual([
      '2:10 cohort inc: overrides.outlookConditionalAccess | ios has no Outlook conditional access state (macOS only, R-MAC-5)',
      '2:10 cohort inc | inc.osVersion: expected one of iOS 16.7.10, 16.7.10, iOS 17.6.1, 17.6.1, iOS 18.1, 18.1, got "1.0"',
      "2:10 fleet.name | cohort 'one' is defined twice",
      "4:93 cohort own: overrides.apps.0.kind | macos has no 'storeOem' apps; its app kinds are personal, managedApp",
      '4:72 cohort own: overrides.esimDataPlan | macos has no eSIM data plan (iOS/iPadOS only)',
      "5:13 fleet.name | cohort 'own' is defined twice",
    ]);
    // Only included cohorts: a duplicate points at the includes; an own cohort named like an included one, at itself.
    expect(at('inc-only.yaml', `name: i\ninclude: [one.yaml, one.yaml]\n${EXPECT}`)).toEqual([
      "2:10 fleet.name | cohort 'one' is defined twice",
    ]);
    expect(
      at(
        'inc-own.yaml',
        `name: i\ninclude: [one.yaml]\nfleet:\n  - { name: one, platform: ios, count: 1 }\n${EXPECT}`,
      ),
    ).toEqual(["4:13 fleet.name | cohort 'one' is defined twice"]);
  });

  it('targets of steps and expectations: an unknown cohort, an index past the end; ids of action steps only', () => {
    expect(
      at(
        'targets.yaml',
        `name: t
fleet:
  - { name: a, platform: ios, count: 2 }
  - { name: z, platform: ios, count: 1 }
timeline:
  - { at: 1h, id: s, do: sync, target: { cohort: b } }
  - { at: 1h, do: sync, target: { cohort: a, index: 2 } }
  - { at: 1h, id: p, do: pushChannel, channel: APNs, up: true }
  - { at: 1h, id: t, do: sync, target: { cohort: a, index: 1 } }
  - { at: 1h, do: sync, target: { cohort: z } }
expect:
  - { expect: state, at: 1h, target: { cohort: c }, facts: { 'state.apps[name=Nope].installed': true } }
  - { expect: completed, of: p, within: 1h }
  - { expect: state, at: 1h, target: { cohort: a, index: 5 }, facts: { online: true } }
`,
      ),
    ).toEqual([
      "6:50 timeline.0.target.cohort | expected one of the cohorts a, z; given 'b'",
      "7:53 timeline.1.target.index | cohort 'a' has 2 devices; given index 2",
      // The unknown cohort has no platforms to check the fact against: only the cohort is named.
      "12:48 expect.0.target.cohort | expected one of the cohorts a, z; given 'c'",
      "13:30 expect.1.of | expected the id of an action step (s, t); given 'p'",
      "14:58 expect.2.target.index | cohort 'a' has 2 devices; given index 5",
    ]);
  });

  it("fresh start and delete steps are action steps; app names from a cohort's overrides are its own", () => {
    expect(
      at(
        'overrides.yaml',
        `name: o
fleet:
  - { name: a, platform: windows10, count: 1, osVersion: 22H2, overrides: { apps: [{ kind: storeOem, name: Vantage }] } }
  - { name: b, platform: ios, count: 1 }
timeline:
  - { at: 1h, id: f, do: freshStart, keepUserData: false, target: { cohort: a } }
  - { at: 1h, id: d, do: delete, target: { cohort: b } }
expect:
  - { expect: state, at: 1h, target: { cohort: a }, facts: { 'state.apps[name=Vantage].installed': true } }
  - { expect: completed, of: f, within: 1h }
  - { expect: completed, of: d, within: 1h }
  - { expect: state, at: 1h, target: { cohort: b }, facts: { 'state.apps[name=Vantage].installed': true } }
`,
      ),
    ).toEqual([
      `12:100 expect.3.facts.state.apps[name=Vantage].installed | [name=Vantage] in 'state.apps[name=Vantage].installed': name is one of Spotify, WhatsApp, Strava, Duolingo, Instagram, Headspace, Kindle, Waze, Contoso Expenses, Contoso Sales, Cisco Webex, Salesforce, Zoom, Slack, Microsoft Outlook, Microsoft Teams, Microsoft Word, Microsoft Edge on ios`,
    ]);
  });

  it('the error message puts each problem on its own line, with its field when it has one', () => {
    expect(
      new ScenarioError([
        { file: 'f', line: 2, column: 3, field: 'fleet', message: 'm' },
        { file: 'f', line: 4, column: 5, field: '', message: 'n' },
      ]).message,
    ).toBe('f:2:3: fleet: m\nf:4:5: n');
  });
});
