import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, extname, join } from 'node:path';
import { type LoadedScenario, loadScenarioFile, ScenarioError } from '../scenarios/engine/load.ts';
import { consoleReport, consoleSummary } from '../scenarios/engine/reporters/console.ts';
import { htmlReport } from '../scenarios/engine/reporters/html.ts';
import { jsonReport } from '../scenarios/engine/reporters/json.ts';
import { junitReport } from '../scenarios/engine/reporters/junit.ts';
import type { ScenarioResult } from '../scenarios/engine/results.ts';
import { runScenario } from '../scenarios/engine/runner.ts';

export interface RunOptions {
  reporter: string[];
  seed?: string;
  filter?: string;
  bail?: boolean;
  jobs: number;
}

/** Scenario files under the given paths (directories are walked; cohort files are not scenarios). */
export function scenarioFiles(paths: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (p: string) => {
    if (statSync(p).isDirectory()) {
      for (const name of readdirSync(p).sort())
        if (name !== 'cohorts' && name !== 'engine' && name !== 'node_modules') walk(join(p, name));
    } else if (['.yaml', '.yml'].includes(extname(p))) out.push(p);
  };
  for (const p of paths) walk(p);
  return out;
}

const REPORTERS = { junit: junitReport, json: jsonReport, html: htmlReport } as const;

/** Runs one scenario in a child process (for --jobs > 1); its JSON result comes back on stdout. */
function runInChild(file: string, seed: string | undefined): Promise<ScenarioResult> {
  return new Promise((resolve, reject) => {
    const args = [
      'bin/fleetsim.js',
      'run',
      file,
      '--reporter',
      'json=-',
      '--jobs',
      '1',
      ...(seed ? ['--seed', seed] : []),
    ];
    const child = spawn(process.execPath, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      cwd: join(dirname(new URL(import.meta.url).pathname), '..'),
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', () => {
      try {
        resolve((JSON.parse(out) as { scenarios: ScenarioResult[] }).scenarios[0]!);
      } catch {
        reject(new Error(`${file}: the scenario process failed\n${err}`));
      }
    });
  });
}

/** `fleetsim run`: validates every file first (nothing runs unless all are valid), runs, reports; true when all passed. */
export async function run(paths: string[], options: RunOptions): Promise<boolean> {
  const started = performance.now();
  const files = scenarioFiles(paths);
  if (files.length === 0) throw new Error(`no scenario files (*.yaml) under ${paths.join(', ')}`);
  const loaded: LoadedScenario[] = [];
  const problems: string[] = [];
  for (const f of files) {
    try {
      loaded.push(loadScenarioFile(f));
    } catch (e) {
      if (e instanceof ScenarioError) problems.push(e.message);
      else throw e;
    }
  }
  if (problems.length > 0) {
    process.stderr.write(
      `${problems.join('\n')}\n${problems.length} invalid scenario file(s); nothing was run.\n`,
    );
    return false;
  }
  const needle = options.filter?.toLowerCase();
  const selected = loaded.filter(
    (l) =>
      !needle ||
      l.scenario.name.toLowerCase().includes(needle) ||
      (l.scenario.tags ?? []).some((t) => t.toLowerCase() === needle),
  );
  const targets = options.reporter.map((r) => {
    const [kind, path] = r.split('=') as [string, string | undefined];
    if (kind !== 'console' && !(kind in REPORTERS))
      throw new Error(`--reporter ${r}: expected console, junit=FILE, json=FILE or html=FILE`);
    return {
      kind,
      path: path ?? (kind === 'console' ? '-' : `reports/fleetsim.${kind === 'junit' ? 'xml' : kind}`),
    };
  });
  const toConsole = targets.some((t) => t.kind === 'console');
  const color = process.stdout.isTTY === true;
  const results: ScenarioResult[] = new Array(selected.length);
  let next = 0;
  let done = 0;
  let bailed = false;
  const worker = async () => {
    while (next < selected.length && !bailed) {
      const i = next++;
      const l = selected[i]!;
      const result =
        options.jobs > 1
          ? await runInChild(l.file, options.seed)
          : await runScenario(l, options.seed ? { seed: options.seed } : {});
      results[i] = result;
      done++;
      if (toConsole) process.stdout.write(`${consoleReport(result, color)}${color ? '' : ''}\n`);
      if (toConsole && color && selected.length > 1)
        process.stdout.write(`\x1b[90m  [${done}/${selected.length}]\x1b[0m\n`);
      if (!result.passed && options.bail) bailed = true;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.jobs, selected.length)) }, worker));
  const finished = results.filter(Boolean);
  for (const t of targets) {
    if (t.kind === 'console') continue;
    const text = REPORTERS[t.kind as keyof typeof REPORTERS](finished);
    if (t.path === '-') process.stdout.write(text);
    else {
      mkdirSync(dirname(t.path), { recursive: true });
      writeFileSync(t.path, text);
      if (toConsole) process.stdout.write(`${t.kind} report: ${t.path}\n`);
    }
  }
  if (toConsole) process.stdout.write(`${consoleSummary(finished, performance.now() - started, color)}\n`);
  return finished.length === selected.length && finished.every((r) => r.passed);
}

export const DEFAULT_JOBS = Math.max(1, availableParallelism());
