import type { ScenarioLibraryAnswer, ScenarioRunAnswer } from '../../../broker/http/scenario-schemas.ts';

/** A run as the server reports it (GET /sim/scenarios/runs/{id}): the same type the server answers with. */
export type ScenarioRun = ScenarioRunAnswer;
export type LibraryScenario = ScenarioLibraryAnswer['scenarios'][number];

export type EntryState = 'waiting' | 'done' | 'passed' | 'failed';

/** One line of the playback's timeline: a step, or an expectation, in sim-time order. */
export interface TimelineEntry {
  key: string;
  /** Sim ms after the fleet enrolled; null while the run has not planned when it is judged. */
  atMs: number | null;
  kind: 'step' | 'expectation';
  text: string;
  specIds: string[];
  state: EntryState;
  /** The judge's words, once judged (for a step: the refusal it expected, or what went wrong). */
  expected: string | null;
  found: string | null;
}

/** Sim time after the start as the scenario files write it: 0m, 45m, 1h15m, 2d3h. */
export function simOffset(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  const text = `${d ? `${d}d` : ''}${h ? `${h}h` : ''}${m ? `${m}m` : ''}`;
  return text || '0m';
}

function stepEntry(s: ScenarioRun['steps'][number]): TimelineEntry {
  const failed = s.errors.length > 0 || s.refusal?.passed === false;
  return {
    key: `s${s.index}`,
    atMs: s.atMs,
    kind: 'step',
    text: s.text,
    specIds: s.refusal?.specIds ?? [],
    state: !s.done ? 'waiting' : failed ? 'failed' : s.refusal ? 'passed' : 'done',
    expected: s.refusal?.expected ?? (s.errors.length ? 'carried out without a refusal' : null),
    found: s.errors.length ? s.errors.join('; ') : (s.refusal?.found ?? null),
  };
}

function expectationEntry(e: ScenarioRun['expectations'][number]): TimelineEntry {
  return {
    key: `e${e.index}`,
    atMs: e.atMs,
    kind: 'expectation',
    text: e.description,
    specIds: e.specIds,
    state: e.verdict === null ? 'waiting' : e.verdict.passed ? 'passed' : 'failed',
    expected: e.verdict?.expected ?? null,
    found: e.verdict?.found ?? null,
  };
}

/** Steps and expectations in the order the run meets them: by sim time, steps first at one instant. */
export function runTimeline(run: ScenarioRun): TimelineEntry[] {
  const entries = [...run.steps.map(stepEntry), ...run.expectations.map(expectationEntry)];
  const time = (e: TimelineEntry) => e.atMs ?? Number.POSITIVE_INFINITY;
  return entries
    .map((e, order) => ({ e, order }))
    .sort(
      (a, b) =>
        time(a.e) - time(b.e) ||
        Number(a.e.kind === 'expectation') - Number(b.e.kind === 'expectation') ||
        a.order - b.order,
    )
    .map(({ e }) => e);
}

export interface RunVerdict {
  state: 'running' | 'passed' | 'failed';
  text: string;
}

/** The run's verdict in one line, while it runs and when it is done. */
export function runVerdict(run: ScenarioRun): RunVerdict {
  const judged = run.expectations.filter((e) => e.verdict !== null);
  const held = judged.filter((e) => e.verdict!.passed).length;
  const total = run.expectations.length;
  const steps = run.steps.filter((s) => s.done).length;
  switch (run.status) {
    case 'enrolling':
      return { state: 'running', text: 'Enrolling the scenario’s fleet…' };
    case 'running':
      return {
        state: 'running',
        text: `Running: ${steps} of ${run.steps.length} steps done, ${judged.length} of ${total} expectations judged`,
      };
    case 'passed':
      return { state: 'passed', text: `Passed: all ${total} expectations held` };
    case 'failed': {
      const missed = total - held;
      const stepErrors = run.stepErrors.length;
      const refused = run.steps.filter((s) => s.refusal && !s.refusal.passed).length;
      const parts = [
        missed ? `${missed} of ${total} expectations did not hold` : '',
        refused ? `${refused} expected refusal${refused === 1 ? '' : 's'} did not come` : '',
        stepErrors ? `${stepErrors} step error${stepErrors === 1 ? '' : 's'}` : '',
      ].filter(Boolean);
      return { state: 'failed', text: `Failed: ${parts.join(', ')}` };
    }
    case 'error':
      return { state: 'failed', text: `The run stopped with an error: ${run.error ?? 'unknown'}` };
  }
}

/** Whether the run is over (no more updates will come). */
export const runIsOver = (run: ScenarioRun): boolean =>
  run.status !== 'enrolling' && run.status !== 'running';
