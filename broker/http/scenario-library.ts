import { existsSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { type LoadedScenario, loadScenarioFile, ScenarioError } from '../../scenarios/engine/load.ts';
import type { ScenarioStep, Target } from '../../scenarios/engine/schema.ts';
import { walkScenarioFiles } from '../../scenarios/library.ts';
import { GraphError } from './graph/errors.ts';
import type { SimAnswer } from './sim-schemas.ts';

export type LibraryEntry = SimAnswer<'scenarios'>['scenarios'][number];

/**
 * The scenario files a server may run: those under one directory, named relative to it. A name is
 * checked twice — it may not leave the directory (no absolute path, no `..`), and it must be one the
 * listing holds — so nothing outside the library is ever read, let alone run.
 */
export class ScenarioLibrary {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = resolve(dir);
  }

  list(): LibraryEntry[] {
    if (!existsSync(this.dir)) return [];
    return walkScenarioFiles(this.dir).map((path) => {
      const file = relative(this.dir, path).split(sep).join('/');
      try {
        const { scenario } = loadScenarioFile(path);
        return {
          file,
          name: scenario.name,
          description: (scenario.description ?? '').trim(),
          tags: scenario.tags ?? [],
          specIds: scenario.specIds ?? [],
          problem: null,
        };
      } catch (e) {
        if (!(e instanceof ScenarioError)) throw e;
        return { file, name: file, description: '', tags: [], specIds: [], problem: e.message };
      }
    });
  }

  /** Loads a library file by its listed name; a 400 for a name that leaves the library, a 404 for one it lacks. */
  load(file: string): LoadedScenario {
    const full = resolve(this.dir, file);
    const inside = relative(this.dir, full);
    if (
      isAbsolute(file) ||
      file.split(/[\\/]/).includes('..') ||
      inside.startsWith('..') ||
      isAbsolute(inside)
    )
      throw GraphError.badRequest(
        `Invalid value for property 'file': '${file}' is not a name in the scenario library (no absolute paths, no '..'); GET /sim/scenarios lists them.`,
      );
    const entry = this.list().find((e) => e.file === file);
    if (!entry)
      throw GraphError.notFound(
        `No scenario '${file}' in the scenario library; GET /sim/scenarios lists them.`,
      );
    if (entry.problem)
      throw GraphError.badRequest(`The scenario '${file}' does not load, so it cannot run: ${entry.problem}`);
    return loadScenarioFile(full);
  }
}

const targetText = (t: Target): string =>
  t === 'all' ? 'all devices' : t.index === undefined ? `cohort ${t.cohort}` : `${t.cohort} #${t.index}`;

/** A timeline step in words: what it does, to whom, with which options, and any refusal it expects. */
export function describeStep(step: ScenarioStep): string {
  const {
    at: _at,
    do: kind,
    id,
    expectRefused,
    ...rest
  } = step as ScenarioStep & {
    target?: Target;
    expectRefused?: string | true;
  };
  const { target, ...options } = rest as { target?: Target } & Record<string, unknown>;
  const details = Object.entries(options).map(
    ([k, v]) => `${k} ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`,
  );
  return [
    kind,
    id ? `"${id}"` : '',
    target ? `on ${targetText(target)}` : '',
    details.length ? `(${details.join(', ')})` : '',
    expectRefused ? `expecting a refusal${expectRefused === true ? '' : `: ${expectRefused}`}` : '',
  ]
    .filter(Boolean)
    .join(' ');
}
