import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadScenarioFile, ScenarioError, type ScenarioProblem } from '../../scenarios/engine/load.ts';

/** A temporary folder of scenario files: write one, or load one and get the problems it has. */
export function scenarioFiles(prefix: string) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const write = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const problemsOf = (path: string): ScenarioProblem[] => {
    try {
      loadScenarioFile(path);
    } catch (e) {
      if (e instanceof ScenarioError) return e.problems;
      throw e;
    }
    return [];
  };
  return { dir, write, problemsOf, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
