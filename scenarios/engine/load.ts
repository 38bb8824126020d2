import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { findRelease } from '../../agent/fleet/cohort.ts';
import { overrideProblems } from '../../agent/fleet/override-check.ts';
import { PLATFORMS } from '../../sim/platforms/index.ts';
import { checkFactPath } from './fact-check.ts';
import type { ShapeContext } from './fact-shape.ts';
import {
  cohortFileSchema,
  type Scenario,
  type ScenarioCohort,
  scenarioSchema,
  type Target,
} from './schema.ts';

/** One problem in a scenario file: where it is, which field, what was expected and what was given. */
export interface ScenarioProblem {
  file: string;
  line: number;
  column: number;
  field: string;
  message: string;
}

export class ScenarioError extends Error {
  override name = 'ScenarioError';
  constructor(readonly problems: ScenarioProblem[]) {
    super(
      problems
        .map((p) => `${p.file}:${p.line}:${p.column}: ${p.field ? `${p.field}: ` : ''}${p.message}`)
        .join('\n'),
    );
  }
}

export interface LoadedScenario {
  file: string;
  scenario: Scenario;
  /** The fleet: included cohorts first, then the file's own. */
  cohorts: ScenarioCohort[];
}

type Doc = ReturnType<typeof parseDocument>;

/** The position of the deepest node that exists along `path`. */
function positionOf(
  doc: Doc,
  counter: LineCounter,
  path: readonly PropertyKey[],
): { line: number; column: number } {
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n) as (string | number)[], true) as
      | { range?: [number, number, number] }
      | null
      | undefined;
    // getIn with keepScalar gives a yaml node, undefined, or null (an empty document).
    if (node?.range) {
      const pos = counter.linePos(node.range[0]);
      return { line: pos.line, column: pos.col };
    }
  }
  return { line: 1, column: 1 };
}

function describeGiven(doc: Doc, path: readonly PropertyKey[]): string {
  const value = doc.getIn(path as (string | number)[]);
  if (value === undefined) return 'nothing';
  // JSON.stringify calls a yaml node's own toJSON.
  const json = JSON.stringify(value);
  return json && json.length > 60 ? `${json.slice(0, 57)}…` : (json ?? String(value));
}

/** zod's phrasings of "one of": an enum's `"a"|"b"`, a discriminated union's `'a' | 'b'`. */
const ONE_OF = ['Invalid option: expected one of ', 'Invalid discriminator value. Expected '];
/** zod's phrasings of a type or a bound, said without its prefix: "number to be <=100000". */
const EXPECTED = ['Invalid input: expected ', 'Too big: expected ', 'Too small: expected '];

/** zod's message as the part after "expected", said once: "one of a, b, c" rather than zod's phrasings. */
function expectedText(message: string): string {
  const oneOf = ONE_OF.find((prefix) => message.startsWith(prefix));
  if (oneOf)
    return `one of ${message
      .slice(oneOf.length)
      .replace(/['"]/g, '')
      .split(/\s*\|\s*/)
      .join(', ')}`;
  const prefix = EXPECTED.find((p) => message.startsWith(p));
  return prefix ? message.slice(prefix.length) : message;
}

/** Parses YAML text and validates it against a schema; every problem with its line and column. */
function parseWith<T>(
  schema: z.ZodType<T>,
  text: string,
  file: string,
): { value: T; doc: Doc; counter: LineCounter } {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new ScenarioError(
      doc.errors.map((e) => {
        const pos = counter.linePos(e.pos[0]);
        return {
          file,
          line: pos.line,
          column: pos.col,
          field: '',
          message: `YAML syntax error: ${e.message.split('\n')[0]}`,
        };
      }),
    );
  }
  const parsed = schema.safeParse(doc.toJS());
  if (!parsed.success) {
    throw new ScenarioError(
      parsed.error.issues.slice(0, 20).map((issue) => {
        const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]!] : issue.path;
        const pos = positionOf(doc, counter, path);
        const field = path.join('.');
        const expected =
          issue.code === 'unrecognized_keys' ? `no field '${issue.keys[0]}' here` : issue.message;
        return {
          file,
          ...pos,
          field,
          message: `expected ${expectedText(expected)}; given ${describeGiven(doc, path)}`,
        };
      }),
    );
  }
  return { value: parsed.data, doc, counter };
}

/** The platforms a target's devices run, and the app names its overrides add. */
function shapeContext(cohorts: readonly ScenarioCohort[]): ShapeContext {
  return {
    platforms: [...new Set(cohorts.map((c) => c.platform))].map((id) => PLATFORMS[id]),
    appNames: cohorts.flatMap((c) => c.overrides?.apps?.map((a) => a.name) ?? []),
  };
}

/** Steps that queue an action on devices; expectations refer to them by id. */
export const ACTION_STEPS: readonly string[] = [
  'wipe',
  'retire',
  'freshStart',
  'sync',
  'delete',
  'companyPortal',
];

/** Loads a scenario with its includes and checks what the schema cannot: names, references, releases. */
export function loadScenarioFile(path: string): LoadedScenario {
  const file = resolve(path);
  const { value: scenario, doc, counter } = parseWith(scenarioSchema, readFileSync(file, 'utf8'), path);
  const problems: ScenarioProblem[] = [];
  const at = (p: PropertyKey[], field: string, message: string) =>
    problems.push({ file: path, ...positionOf(doc, counter, p), field, message });

  const cohorts: ScenarioCohort[] = [];
  const timeline = scenario.timeline ?? [];
  for (const [i, inc] of (scenario.include ?? []).entries()) {
    const incPath = resolve(dirname(file), inc);
    let text: string;
    try {
      text = readFileSync(incPath, 'utf8');
    } catch {
      at(['include', i], `include.${i}`, `cannot read ${inc} (looked for ${incPath})`);
      continue;
    }
    cohorts.push(...parseWith(cohortFileSchema, text, inc).value.cohorts);
  }
  cohorts.push(...(scenario.fleet ?? []));
  const byName = new Map<string, ScenarioCohort>();
  for (const c of cohorts) {
    // Where the cohort is written: its place in this file's fleet, or the includes.
    const own = scenario.fleet?.indexOf(c) ?? -1;
    if (byName.has(c.name))
      at(
        own >= 0 ? ['fleet', own, 'name'] : ['include'],
        'fleet.name',
        `cohort '${c.name}' is defined twice`,
      );
    byName.set(c.name, c);
    for (const problem of overrideProblems(PLATFORMS[c.platform], c.overrides))
      at(
        own >= 0 ? ['fleet', own, 'overrides', ...problem.path] : ['include'],
        `cohort ${c.name}: overrides.${problem.path.join('.')}`,
        problem.message,
      );
    try {
      findRelease(PLATFORMS[c.platform], c.osVersion, c.name);
      const modes = PLATFORMS[c.platform].enrollmentModes.map((m) => m.type);
      if (c.enrollmentType && !modes.includes(c.enrollmentType))
        throw new Error(`enrollmentType for ${c.platform} is one of ${modes.join(', ')}`);
    } catch (e) {
      at(own >= 0 ? ['fleet', own] : ['include'], `cohort ${c.name}`, (e as Error).message);
    }
  }
  if (cohorts.length === 0)
    at(['fleet'], 'fleet', 'expected at least one cohort (in fleet or an included file)');

  const checkTarget = (t: Target, p: PropertyKey[]) => {
    if (t === 'all') return;
    const cohort = byName.get(t.cohort);
    if (!cohort)
      at(
        [...p, 'cohort'],
        `${p.join('.')}.cohort`,
        `expected one of the cohorts ${[...byName.keys()].join(', ')}; given '${t.cohort}'`,
      );
    // Without an index: the cohort's first device, always there (count >= 1).
    else if ((t.index ?? 0) >= cohort.count)
      at(
        [...p, 'index'],
        `${p.join('.')}.index`,
        `cohort '${t.cohort}' has ${cohort.count} devices; given index ${t.index}`,
      );
  };
  const stepIds = new Set<string>();
  for (const [i, step] of timeline.entries()) {
    if ('target' in step) checkTarget(step.target, ['timeline', i, 'target']);
    if (step.id) {
      if (stepIds.has(step.id))
        at(['timeline', i, 'id'], `timeline.${i}.id`, `step id '${step.id}' is used twice`);
      stepIds.add(step.id);
    }
  }
  const actionIds = new Set(timeline.filter((s) => s.id && ACTION_STEPS.includes(s.do)).map((s) => s.id!));
  for (const [i, e] of scenario.expect.entries()) {
    if ('target' in e) checkTarget(e.target, ['expect', i, 'target']);
    if (e.expect === 'state') {
      const target = e.target;
      const ctx = shapeContext(target === 'all' ? cohorts : cohorts.filter((c) => c.name === target.cohort));
      for (const [path, expected] of Object.entries(e.facts)) {
        const problem = ctx.platforms.length > 0 ? checkFactPath(path, expected, ctx) : null;
        if (problem) at(['expect', i, 'facts', path], `expect.${i}.facts.${path}`, problem);
      }
    }
    if ('of' in e && !actionIds.has(e.of)) {
      at(
        ['expect', i, 'of'],
        `expect.${i}.of`,
        `expected the id of an action step (${[...actionIds].join(', ') || 'none has an id'}); given '${e.of}'`,
      );
    }
  }
  if (problems.length > 0) throw new ScenarioError(problems);
  return { file: path, scenario, cohorts };
}
