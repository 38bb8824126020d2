import { readFileSync } from 'node:fs';
import type { CohortSpec } from '../sim/cohort.ts';
import { parseDuration } from '../sim/duration.ts';
import { MINUTE_MS } from '../sim/time-units.ts';
import { type ActionStep, parseActionStep, ScriptError, syncWaves } from './action-script.ts';
import { type ProcessPlan, planProcesses } from './capacity.ts';
import { scaleMix, splitFleet } from './fleet-split.ts';
import { type ScenarioScript, scriptFromScenario } from './scenario-script.ts';
import { parseSlo, parseSloFile, type Slo } from './slo.ts';

/** What `fleetsim load` was asked, as commander hands it over (values already checked one by one). */
export interface LoadOptions {
  devices?: number;
  mix: { cohorts: CohortSpec[] };
  target: string;
  api?: string;
  token?: string;
  enrollmentToken?: string;
  processes?: number;
  ramp?: number;
  duration?: string;
  speed: number;
  seed: string;
  action: string[];
  /** A scenario file whose timeline's admin steps join --action. */
  script?: string;
  syncEvery?: string;
  slo: string[];
  sloFile?: string;
  report?: string;
  html?: string;
  baseline?: string;
  regressionThreshold: number;
  dataDir?: string;
}

export type Target =
  | { kind: 'embedded' }
  | { kind: 'remote'; broker: string; api: string; token: string; enrollmentToken: string };

/** The run, validated as a whole and frozen: nothing starts until every part of it is known to fit. */
export interface LoadPlan {
  devices: number;
  target: Target;
  processes: ProcessPlan;
  /** Cohorts of each agent process. */
  fleets: CohortSpec[][];
  rampPerSecond: number | null;
  durationMs: number;
  speed: number;
  seed: string;
  actions: ActionStep[];
  /** --script's steps and expectations left out, each with why (said once, before the run). */
  skipped: string[];
  slos: Slo[];
  reportPath: string | null;
  htmlPath: string | null;
  baseline: string | null;
  regressionThreshold: number;
  dataDir: string | null;
}

export class PlanError extends Error {
  override name = 'PlanError';
  constructor(
    message: string,
    readonly kind: 'usage' | 'environment' = 'usage',
  ) {
    super(message);
  }
}

/** Without --duration: the last action plus the 15 minutes it is promised in, or 5 minutes. */
const PROMISE_MS = 15 * MINUTE_MS;
const DEFAULT_DURATION_MS = 5 * MINUTE_MS;

function duration(flag: string, text: string): number {
  try {
    const ms = parseDuration(text);
    if (ms <= 0) throw new RangeError(`"${text}" is not above zero`);
    return ms;
  } catch (e) {
    throw new PlanError(`${flag}: ${(e as Error).message}`);
  }
}

export function buildPlan(o: LoadOptions, env: { limit?: number; cores?: number } = {}): LoadPlan {
  if (o.devices === undefined) throw new PlanError('--devices is required: how many devices to run');
  const target = buildTarget(o);
  // --action and --script together: both are admin actions at sim times, merged by time below.
  const fromFile: ScenarioScript = o.script ? script(o.script) : { steps: [], skipped: [] };
  const scripted = [
    ...o.action.map((text) => {
      try {
        return parseActionStep(text);
      } catch (e) {
        throw new PlanError((e as Error).message);
      }
    }),
    ...fromFile.steps,
  ];
  const lastAt = Math.max(0, ...scripted.map((s) => s.atMs));
  const durationMs =
    o.duration !== undefined
      ? duration('--duration', o.duration)
      : scripted.length > 0
        ? lastAt + PROMISE_MS
        : DEFAULT_DURATION_MS;
  const late = scripted.find((s) => s.atMs >= durationMs);
  if (late)
    throw new PlanError(
      `${fromFile.steps.includes(late) ? '--script' : '--action'} "${late.text}" is at or after the end of the run (--duration ${o.duration})`,
    );
  const actions = [
    ...scripted,
    ...(o.syncEvery !== undefined ? syncWaves(duration('--sync-every', o.syncEvery), durationMs) : []),
  ].sort((a, b) => a.atMs - b.atMs);
  const slos = [...o.slo.map(sloOf), ...(o.sloFile ? sloFile(o.sloFile) : [])];
  let processes: ProcessPlan;
  try {
    processes = planProcesses(o.devices, o.processes, {
      ...env,
      embeddedService: target.kind === 'embedded',
    });
  } catch (e) {
    throw new PlanError((e as Error).message, 'environment');
  }
  const cohorts = scaleMix(o.mix.cohorts, o.devices);
  return Object.freeze({
    devices: o.devices,
    target,
    processes,
    fleets: splitFleet(cohorts, processes.perProcess),
    rampPerSecond: o.ramp ?? null,
    durationMs,
    speed: o.speed,
    seed: o.seed,
    actions,
    skipped: fromFile.skipped,
    slos,
    reportPath: o.report ?? null,
    htmlPath: o.html ?? null,
    baseline: o.baseline ?? null,
    regressionThreshold: o.regressionThreshold,
    dataDir: o.dataDir ?? null,
  });
}

function buildTarget(o: LoadOptions): Target {
  if (o.target === 'embedded') {
    const stray = (['api', 'token', 'enrollmentToken'] as const).find((k) => o[k] !== undefined);
    if (stray)
      throw new PlanError(
        `--${stray.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} is for a remote --target: the embedded service needs none`,
      );
    return { kind: 'embedded' };
  }
  if (!/^mqtts?:\/\/[^/\s]+:\d+$/.test(o.target))
    throw new PlanError(`--target must be embedded or mqtt://host:port, got "${o.target}"`);
  const missing = (['api', 'token', 'enrollmentToken'] as const).filter((k) => o[k] === undefined);
  if (missing.length > 0)
    throw new PlanError(
      `--target ${o.target} needs ${missing.map((k) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`).join(', ')} (what fleetsim serve printed)`,
    );
  return {
    kind: 'remote',
    broker: o.target,
    api: o.api!,
    token: o.token!,
    enrollmentToken: o.enrollmentToken!,
  };
}

function script(path: string): ScenarioScript {
  try {
    return scriptFromScenario(path);
  } catch (e) {
    if (e instanceof ScriptError) throw new PlanError(e.message);
    throw e;
  }
}

function sloOf(text: string): Slo {
  try {
    return parseSlo(text);
  } catch (e) {
    throw new PlanError((e as Error).message);
  }
}

function sloFile(path: string): Slo[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new PlanError(`--slo-file: cannot read "${path}"`);
  }
  try {
    return parseSloFile(text, path);
  } catch (e) {
    throw new PlanError((e as Error).message);
  }
}
