import { z } from 'zod';
import { cohortSchema } from '../../sim/cohort-schema.ts';
import { PLATFORMS } from '../../sim/platforms/index.ts';
import { PLATFORM_IDS } from '../../sim/platforms/types.ts';
import { type CohortSpec, FleetSpecError, validateCohort } from './cohort.ts';

/**
 * Fleet descriptions given on the command line: a JSON file of cohorts, or a named preset.
 * Validated at the edge; errors name the cohort (index and name), the field, what was given and
 * what would do.
 */
const cohortListSchema = z.array(cohortSchema).min(1);
const fleetObjectSchema = z.strictObject({ seed: z.string().optional(), cohorts: cohortListSchema });

export interface FleetPreset {
  /** What it holds, for --help. */
  holds: string;
  cohorts: CohortSpec[];
}

/** Built-in fleets, for a quick start. */
export const FLEET_PRESETS: Record<string, FleetPreset> = {
  small: {
    holds: 'one device of every platform',
    cohorts: PLATFORM_IDS.map((platform) => ({ name: platform, platform, count: 1 })),
  },
  'every-platform': {
    holds: 'two devices of every platform, enrollment modes drawn by weight; Windows 10 on 22H2',
    cohorts: PLATFORM_IDS.map((platform) => ({
      name: platform,
      platform,
      count: 2,
      ...(platform === 'windows10' ? { osVersion: '22H2' } : {}),
    })),
  },
  'every-kind': {
    holds:
      'one device of every platform × enrollment mode × ownership the catalogue knows (iOS by Company Portal, ADE and User Enrollment, …)',
    cohorts: PLATFORM_IDS.flatMap((platform) =>
      PLATFORMS[platform].enrollmentModes.map((mode) => ({
        name: `${platform}-${mode.type}-${mode.ownership}`,
        platform,
        enrollmentType: mode.type,
        ownership: mode.ownership,
        count: 1,
      })),
    ),
  },
};

/** The presets as --help lists them. */
export function describePresets(indent: string): string {
  return Object.entries(FLEET_PRESETS)
    .map(([name, p]) => `${indent}${name.padEnd(16)}${p.holds}`)
    .join('\n');
}

export class FleetFileError extends Error {
  override name = 'FleetFileError';
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v = root;
  for (const key of path)
    v = v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[key] : undefined;
  return v;
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 60 ? `${json.slice(0, 57)}…` : json;
}

/** What a zod issue asked for, in words. */
function expectedText(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_value':
      return `one of ${issue.values.map(String).join(', ')}`;
    case 'invalid_type':
      return issue.expected === 'array' ? 'a list' : `a ${issue.expected}`;
    case 'unrecognized_keys':
      return `no field "${issue.keys[0]}" here`;
    default:
      return issue.message.replace(/^Invalid input: expected /, '');
  }
}

/** `cohorts[1] ("laptops")`: a cohort by index, and by name when it has one. */
function cohortLabel(cohorts: unknown, index: number): string {
  const name = valueAt(cohorts, [index, 'name']);
  return `cohorts[${index}]${typeof name === 'string' ? ` ("${name}")` : ''}`;
}

function describeIssue(json: unknown, cohortsPath: readonly PropertyKey[], issue: z.core.$ZodIssue): string {
  const fullPath = [...cohortsPath, ...issue.path];
  const [index, ...field] = issue.path;
  const given = issue.code === 'unrecognized_keys' ? '' : `; given ${show(valueAt(json, fullPath))}`;
  const where =
    typeof index === 'number'
      ? `${cohortLabel(valueAt(json, cohortsPath), index)}${field.length ? `: ${field.join('.')}` : ''}`
      : fullPath.join('.') || 'the file';
  return `${where}: expected ${expectedText(issue)}${given}`;
}

/** JSON.parse says "at position N"; people count lines. */
function withLineAndColumn(text: string, message: string): string {
  const at = /at position (\d+)/.exec(message);
  if (!at) return message;
  const before = text.slice(0, Number(at[1]));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return message.replace(at[0], `at line ${line}, column ${column}`);
}

/** Parses a fleet file's text; `where` names it in errors. */
export function parseFleetFile(text: string, where: string): { seed?: string; cohorts: CohortSpec[] } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new FleetFileError(`${where}: not JSON: ${withLineAndColumn(text, (e as Error).message)}`);
  }
  const isList = Array.isArray(json);
  const parsed = isList ? cohortListSchema.safeParse(json) : fleetObjectSchema.safeParse(json);
  if (!parsed.success) {
    if (!isList && (json === null || typeof json !== 'object'))
      throw new FleetFileError(
        `${where}: expected a list of cohorts or { "seed", "cohorts" }; given ${show(json)}`,
      );
    const issue = parsed.error.issues[0]!;
    // In the object form the cohort's index follows "cohorts" in the path.
    const inCohorts = !isList && issue.path[0] === 'cohorts' && issue.path.length > 1;
    const shifted = inCohorts ? { ...issue, path: issue.path.slice(1) } : issue;
    throw new FleetFileError(`${where}: ${describeIssue(json, inCohorts ? ['cohorts'] : [], shifted)}`);
  }
  const data = parsed.data as CohortSpec[] | { seed?: string; cohorts: CohortSpec[] };
  const fleet = Array.isArray(data)
    ? { cohorts: data }
    : { ...(data.seed ? { seed: data.seed } : {}), cohorts: data.cohorts };
  // What the schema cannot see: enrollment types and releases each platform has.
  for (const [i, cohort] of fleet.cohorts.entries()) {
    try {
      validateCohort(cohort, `cohorts[${i}]`);
    } catch (e) {
      if (!(e instanceof FleetSpecError)) throw e;
      const field = e.path.replace(/^cohorts\[\d+\]\./, '');
      throw new FleetFileError(
        `${where}: ${cohortLabel(fleet.cohorts, i)}: ${field}: expected ${e.expected}; given ${show(e.given)}`,
      );
    }
  }
  return fleet;
}
