import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve as resolvePath } from 'node:path';
import { createInterface } from 'node:readline';
import { type LoadedScenario, loadScenarioFile, ScenarioError } from '../scenarios/engine/load.ts';
import { consoleReport, consoleSummary } from '../scenarios/engine/reporters/console.ts';
import { htmlReport } from '../scenarios/engine/reporters/html.ts';
import { jsonReport } from '../scenarios/engine/reporters/json.ts';
import { junitReport } from '../scenarios/engine/reporters/junit.ts';
import { fleetSize, type ScenarioResult } from '../scenarios/engine/results.ts';
import { runScenario } from '../scenarios/engine/runner.ts';
import { walkScenarioFiles } from '../scenarios/library.ts';
import { FULL_GC_FROM_DEVICES, fullCollection } from '../sim/full-gc.ts';
import { CliError } from './errors.ts';
import { progressBar } from './progress-bar.ts';

export interface RunOptions {
  reporter: string[];
  seed?: string;
  filter?: string;
  bail?: boolean;
  jobs: number;
}

/** Scenario files under the given paths (directories are walked; cohort files are not scenarios). */
export function scenarioFiles(paths: readonly string[]): string[] {
  return paths.flatMap((p) => {
    if (!existsSync(p)) throw new CliError(`run: no such file or directory: ${p}`);
    return walkScenarioFiles(p);
  });
}

const REPORTERS = { junit: junitReport, json: jsonReport, html: htmlReport } as const;

/**
 * A long-lived child process that runs scenarios it is sent, one JSON line in and one out, so
 * parallel runs pay the start-up once per worker, not once per scenario.
 */
class ScenarioWorker {
  private readonly child: ChildProcess;
  private buffer = '';
  private waiting: ((r: ScenarioResult | Error) => void) | null = null;
  private stderr = '';

  constructor() {
    const root = join(dirname(new URL(import.meta.url).pathname), '..');
    // With node's own flags (a heap setting given on node's command line, which NODE_OPTIONS cannot carry).
    this.child = spawn(process.execPath, [...process.execArgv, 'bin/fleetsim.js', 'run', '--worker', '.'], {
      stdio: ['pipe', 'pipe', 'pipe'],
      cwd: root,
    });
    this.child.stdout!.on('data', (d) => {
      this.buffer += d;
      let nl = this.buffer.indexOf('\n');
      while (nl >= 0) {
        const line = this.buffer.slice(0, nl);
        this.buffer = this.buffer.slice(nl + 1);
        const done = this.waiting;
        this.waiting = null;
        try {
          done?.(JSON.parse(line) as ScenarioResult);
        } catch (e) {
          done?.(e as Error);
        }
        nl = this.buffer.indexOf('\n');
      }
    });
    this.child.stderr!.on('data', (d) => (this.stderr += d));
    this.child.on('exit', () => this.waiting?.(new Error(`the scenario worker stopped\n${this.stderr}`)));
  }

  run(file: string, seed: string | undefined): Promise<ScenarioResult> {
    return new Promise((resolve, reject) => {
      this.waiting = (r) => (r instanceof Error ? reject(r) : resolve(r));
      this.child.stdin!.write(`${JSON.stringify({ file: resolvePath(file), seed })}\n`);
    });
  }

  close(): void {
    this.child.stdin!.end();
  }
}

/** The worker side: scenarios by JSON line on stdin, results by JSON line on stdout. */
export async function runWorker(): Promise<void> {
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    const { file, seed } = JSON.parse(line) as { file: string; seed?: string };
    const loaded = loadScenarioFile(relative(process.cwd(), file) || file);
    const result = await runScenario(loaded, seed ? { seed } : {});
    process.stdout.write(`${JSON.stringify(result)}\n`);
  }
}

/** `fleetsim run`: validates every file first (nothing runs unless all are valid), runs, reports; true when all passed. */
export async function run(paths: string[], options: RunOptions): Promise<boolean> {
  const started = performance.now();
  const files = scenarioFiles(paths);
  if (files.length === 0) throw new CliError(`run: no scenario files (*.yaml) under ${paths.join(', ')}`);
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
  if (problems.length > 0)
    throw new CliError(
      `${problems.join('\n')}\n${problems.length} invalid scenario file(s); nothing was run.`,
    );
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
      throw new CliError(`--reporter ${r}: expected console, junit=FILE, json=FILE or html=FILE`);
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
  const jobs = Math.max(1, Math.min(options.jobs, selected.length));
  const workers = jobs > 1 ? Array.from({ length: jobs }, () => new ScenarioWorker()) : [];
  const worker = async (w: number) => {
    while (next < selected.length && !bailed) {
      const i = next++;
      const l = selected[i]!;
      const pool = workers[w];
      const result = pool
        ? { ...(await pool.run(l.file, options.seed)), file: l.file, replay: '' }
        : await runScenario(l, options.seed ? { seed: options.seed } : {});
      if (pool) result.replay = `npx fleetsim run ${l.file} --seed ${result.seed}`;
      results[i] = result;
      done++;
      if (toConsole) process.stdout.write(`${consoleReport(result, color)}\n`);
      if (toConsole && color && selected.length > 1)
        process.stdout.write(`\x1b[90m  ${progressBar(done, selected.length)}\x1b[0m\n`);
      if (!result.passed && options.bail) bailed = true;
    }
  };
  try {
    await Promise.all(Array.from({ length: jobs }, (_, w) => worker(w)));
  } finally {
    for (const w of workers) w.close();
  }
  const finished = results.filter(Boolean);
  // The fleets are garbage by now: collected before the reports are built (sim/full-gc.ts).
  if (jobs === 1 && finished.some((r) => fleetSize(r) >= FULL_GC_FROM_DEVICES)) fullCollection();
  for (const t of targets) {
    if (t.kind === 'console') continue;
    // The HTML report samples device timelines and links the JSON report for the rest.
    const json = targets.find((j) => j.kind === 'json' && j.path !== '-');
    const text =
      t.kind === 'html'
        ? htmlReport(finished, json ? { jsonHref: relative(dirname(t.path), json.path) } : {})
        : REPORTERS[t.kind as keyof typeof REPORTERS](finished);
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
