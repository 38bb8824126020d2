import { readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The scenario library that ships with fleetsim: this directory. */
export const LIBRARY_DIR = fileURLToPath(new URL('.', import.meta.url));

/** Directories under a scenario path that hold no scenarios (cohort files, the engine, packages). */
const NOT_SCENARIOS = new Set(['cohorts', 'engine', 'node_modules']);

/** Scenario files (*.yaml, *.yml) at or under `path`, directories walked in name order. */
export function walkScenarioFiles(path: string): string[] {
  if (!statSync(path).isDirectory()) return ['.yaml', '.yml'].includes(extname(path)) ? [path] : [];
  return readdirSync(path)
    .sort()
    .filter((name) => !NOT_SCENARIOS.has(name))
    .flatMap((name) => walkScenarioFiles(join(path, name)));
}
