import { randomUUID } from 'node:crypto';
import { describeExpectation } from '../../scenarios/engine/judge.ts';
import type { LoadedScenario } from '../../scenarios/engine/load.ts';
import type { ExpectationResult } from '../../scenarios/engine/results.ts';
import { type RunProgress, runScenario } from '../../scenarios/engine/runner.ts';
import { parseDuration } from '../../sim/duration.ts';
import { GraphError } from './graph/errors.ts';
import { describeStep } from './scenario-library.ts';
import type { SimAnswer } from './sim-schemas.ts';

export type ScenarioRunView = SimAnswer<'scenarioRun'>;

/** Finished runs kept for GET /sim/scenarios/runs/{id}; older ones are forgotten. */
const RUNS_KEPT = 10;
/** Longest a GET with ?after= waits for the next update. */
export const RUN_WAIT_MS = 10_000;
export const DEFAULT_PACE_MS = 300;

const verdictOf = (r: ExpectationResult) => ({
  passed: r.passed,
  expected: r.expected,
  found: r.found,
  failingDevices: r.failingDevices,
  at: r.at,
});

/**
 * Scenario runs for the dashboard's playback. Each runs with the engine `fleetsim run` uses, in its
 * own emulator on its own virtual clock with an in-memory broker, so the live fleet, its clock and
 * its event log are untouched. One at a time: runs share the process's two cores with the live fleet.
 */
export class ScenarioRuns {
  private readonly runs = new Map<string, ScenarioRunView>();
  private readonly waiters = new Map<string, Set<() => void>>();
  private running: string | null = null;

  constructor(
    private readonly wait: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  start(loaded: LoadedScenario, options: { seed?: string; paceMs?: number }): ScenarioRunView {
    if (this.running)
      throw new GraphError(
        409,
        'Conflict',
        `A scenario is already running (run ${this.running}); wait for its verdict before starting another.`,
      );
    const { scenario } = loaded;
    const id = randomUUID();
    const seed = String(options.seed ?? scenario.seed ?? scenario.name);
    const view: ScenarioRunView = {
      id,
      file: loaded.file,
      name: scenario.name,
      seed,
      status: 'enrolling',
      progress: 0,
      simStart: null,
      endMs: null,
      steps: (scenario.timeline ?? []).map((step, index) => ({
        index,
        at: step.at,
        atMs: parseDuration(step.at),
        text: describeStep(step),
        done: false,
        errors: [],
        refusal: null,
      })),
      expectations: scenario.expect.map((e, index) => ({
        index,
        description: describeExpectation(e),
        specIds: e.specIds ?? [],
        atMs: null,
        verdict: null,
      })),
      stepErrors: [],
      error: null,
      replay: `npx fleetsim run ${loaded.file} --seed ${seed}`,
      wallMs: null,
    };
    this.runs.set(id, view);
    for (const old of [...this.runs.keys()].slice(0, Math.max(0, this.runs.size - RUNS_KEPT)))
      this.runs.delete(old);
    this.running = id;
    const paceMs = options.paceMs ?? DEFAULT_PACE_MS;
    const onProgress = async (p: RunProgress) => {
      this.apply(view, p);
      if (paceMs > 0 && p.kind !== 'plan') await this.wait(paceMs);
    };
    void runScenario(loaded, { seed, onProgress })
      .then((result) => {
        view.status = result.passed ? 'passed' : 'failed';
        view.stepErrors = result.stepErrors;
        view.wallMs = result.wallMs;
      })
      .catch((e: Error) => {
        view.status = 'error';
        view.error = e.message;
      })
      .finally(() => {
        this.running = null;
        this.updated(view);
      });
    return structuredClone(view);
  }

  /** The run as it stands; with `after`, once it has had more than `after` updates (or is done, or the wait is over). */
  async get(id: string, after?: number): Promise<ScenarioRunView> {
    const view = this.runs.get(id);
    if (!view) throw GraphError.notFound(`No scenario run '${id}' (the last ${RUNS_KEPT} are kept).`);
    if (after !== undefined && view.progress <= after && this.running === id) {
      await new Promise<void>((resolve) => {
        const set = this.waiters.get(id) ?? new Set();
        this.waiters.set(id, set);
        const done = () => {
          clearTimeout(timer);
          set.delete(done);
          resolve();
        };
        const timer = setTimeout(done, RUN_WAIT_MS);
        set.add(done);
      });
    }
    return structuredClone(view);
  }

  private apply(view: ScenarioRunView, p: RunProgress): void {
    switch (p.kind) {
      case 'plan':
        view.status = 'running';
        view.simStart = new Date(p.startMs).toISOString();
        view.endMs = p.endMs;
        for (const item of p.items)
          if (item.kind === 'expect') view.expectations[item.index]!.atMs = item.atMs ?? p.endMs;
        break;
      case 'step': {
        const step = view.steps[p.index]!;
        step.done = true;
        step.errors = p.errors;
        const refusal = p.verdicts[0];
        if (refusal)
          step.refusal = {
            ...verdictOf(refusal),
            description: refusal.description,
            specIds: refusal.specIds,
          };
        break;
      }
      case 'judged':
        view.expectations[p.result.index]!.verdict = verdictOf(p.result);
        break;
    }
    this.updated(view);
  }

  private updated(view: ScenarioRunView): void {
    view.progress++;
    for (const wake of [...(this.waiters.get(view.id) ?? [])]) wake();
  }
}
