import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_EPOCH_MS } from '../../agent/fleet/generator.ts';
import type { DeviceAgent } from '../../agent/runtime/device-agent.ts';
import type { ServiceResult } from '../../broker/service/service.ts';
import type { ActionRecord } from '../../broker/service/types.ts';
import { Emulator } from '../../emulator/emulator.ts';
import { parseDuration } from '../../sim/duration.ts';
import type { ActionRequest } from '../../sim/eligibility.ts';
import { REASONS } from '../../sim/reasons.ts';
import { judge } from './judge.ts';
import type { LoadedScenario } from './load.ts';
import type { ExpectationResult, ScenarioResult } from './results.ts';
import type { Expectation, ScenarioStep, Target } from './schema.ts';
import { deviceTimelines } from './timeline.ts';

export const SCENARIO_ADMIN = {
  userPrincipalName: 'admin@contoso.onmicrosoft.com',
  source: 'admin' as const,
};

/** What an action step did to each of its devices. */
export interface StepOutcome {
  serialNumber: string;
  action: ActionRecord | null;
  refusal: { code: string; message: string } | null;
}

export interface RunContext {
  emulator: Emulator;
  startMs: number;
  stepAtMs: Map<string, number>;
  outcomes: Map<string, StepOutcome[]>;
  /** Each device's managedDevice id when the fleet had enrolled, for newRecord / sameRecord (D-9). */
  firstRecordIds: Map<string, string>;
  devicesOf(target: Target): DeviceAgent[];
}

/**
 * What a run reports while it goes, for a watcher (the dashboard's scenario playback): the agenda
 * once the fleet has enrolled, then each step as it is carried out and each verdict as it is given.
 * The runner awaits the callback, so a watcher may also pace the run.
 */
export type RunProgress =
  | {
      kind: 'plan';
      startMs: number;
      endMs: number;
      /** Sim ms after the start; null for what is judged at the end (propagation). */
      items: { kind: 'step' | 'expect'; index: number; atMs: number | null }[];
    }
  | { kind: 'step'; index: number; errors: string[]; verdicts: ExpectationResult[] }
  | { kind: 'judged'; result: ExpectationResult };

type AgendaItem = { atMs: number } & (
  | { kind: 'step'; step: ScenarioStep; index: number }
  | { kind: 'expect'; expectation: Expectation; index: number }
);

function expectationTime(e: Expectation, stepAt: Map<string, number>): number {
  switch (e.expect) {
    case 'acknowledged':
    case 'completed':
      return stepAt.get(e.of)! + parseDuration(e.within);
    case 'pending':
    case 'state':
    case 'record':
      return parseDuration(e.at);
    case 'propagation':
      return Number.POSITIVE_INFINITY; // judged at the end
  }
}

/**
 * Runs one scenario on the real service, broker and agents in process: the fleet enrolls over the
 * wire, the timeline's steps act through the service interface the HTTP API uses (so refusals carry
 * the same reason codes), and each expectation is judged at its sim time.
 */
export async function runScenario(
  loaded: LoadedScenario,
  options: {
    seed?: string;
    /** Called once the emulator is up, before the fleet enrolls: for benchmarks that watch a run. */
    onStart?: (emulator: Emulator) => void;
    /** Called (and awaited) with the plan, then after each step and each verdict: for playback. */
    onProgress?: (p: RunProgress) => void | Promise<void>;
  } = {},
): Promise<ScenarioResult> {
  const wallStart = performance.now();
  const { scenario } = loaded;
  const seed = String(options.seed ?? scenario.seed ?? scenario.name);
  const timeline = scenario.timeline ?? [];
  const needsFile = timeline.some((s) => s.do === 'restartService');
  const dir = needsFile ? mkdtempSync(join(tmpdir(), 'fleetsim-scenario-')) : null;
  const emulator = await Emulator.start({
    clock: scenario.clock?.mode ?? 'virtual',
    speed: scenario.clock?.mode === 'scaled' ? scenario.clock.speed : 1,
    seed,
    db: dir ? join(dir, 'service.db') : ':memory:',
    agentDb: null,
    mqttPort: null,
    startMs: DEFAULT_EPOCH_MS,
  });
  const stepErrors: string[] = [];
  const results: ExpectationResult[] = [];
  try {
    options.onStart?.(emulator);
    await emulator.enroll(loaded.cohorts, seed);
    const startMs = emulator.clock.now();
    const ctx: RunContext = {
      emulator,
      startMs,
      stepAtMs: new Map(),
      outcomes: new Map(),
      firstRecordIds: new Map(
        // Stryker disable next-line MethodExpression: enroll returns once every agent has credentials, and a scenario file cannot make one that never enrolls; the filter only guards that
        emulator.runner
          .all()
          .filter((a) => a.credentials)
          .map((a) => [a.serialNumber, a.credentials!.managedDeviceId]),
      ),
      devicesOf(target) {
        const agents = emulator.runner.all();
        if (target === 'all') return agents;
        const cohort = agents.filter((a) => a.cohort === target.cohort);
        return target.index === undefined ? cohort : cohort.slice(target.index, target.index + 1);
      },
    };
    for (const s of timeline) if (s.id) ctx.stepAtMs.set(s.id, parseDuration(s.at));
    const agenda: AgendaItem[] = [
      ...timeline.map((step, index) => ({
        kind: 'step' as const,
        step,
        index,
        atMs: parseDuration(step.at),
      })),
      ...scenario.expect.map((expectation, index) => ({
        kind: 'expect' as const,
        expectation,
        index,
        atMs: expectationTime(expectation, ctx.stepAtMs),
      })),
      // A stable sort: at the same time, steps before expectations, each in file order.
    ].sort((a, b) => a.atMs - b.atMs);
    const finite = agenda.filter((a) => Number.isFinite(a.atMs)).map((a) => a.atMs);
    const endMs = Math.max(0, ...finite, scenario.runFor ? parseDuration(scenario.runFor) : 0);
    const report = options.onProgress ?? (() => {});
    await report({
      kind: 'plan',
      startMs,
      endMs,
      items: agenda.map((a) => ({
        kind: a.kind,
        index: a.index,
        atMs: Number.isFinite(a.atMs) ? a.atMs : null,
      })),
    });
    for (const item of agenda) {
      await moveTo(emulator, startMs + (Number.isFinite(item.atMs) ? item.atMs : endMs));
      if (item.kind === 'step') {
        const judged = results.length;
        const errors = await runStep(ctx, item.step, results);
        stepErrors.push(...errors);
        await report({ kind: 'step', index: item.index, errors, verdicts: results.slice(judged) });
      } else {
        const result = judge(ctx, item.expectation, item.index);
        results.push(result);
        await report({ kind: 'judged', result });
      }
    }
    await moveTo(emulator, startMs + endMs);
    results.sort((a, b) => a.index - b.index);
    const propagationMs: Record<string, number[]> = {};
    for (const [id, outs] of ctx.outcomes) {
      propagationMs[id] = outs
        .map((o) => (o.action ? emulator.service.actions.get(o.action.id) : undefined))
        .filter((a): a is ActionRecord => a?.acknowledgedAtMs !== null && a !== undefined)
        .map((a) => a.acknowledgedAtMs! - a.requestedAtMs);
    }
    const cohorts = loaded.cohorts.map((c) => ({
      name: c.name,
      platform: c.platform,
      serialNumbers: emulator.runner
        .all()
        .filter((a) => a.cohort === c.name)
        .map((a) => a.serialNumber),
    }));
    return {
      file: loaded.file,
      name: scenario.name,
      tags: scenario.tags ?? [],
      specIds: scenario.specIds ?? [],
      seed,
      passed: stepErrors.length === 0 && results.every((r) => r.passed),
      stepErrors,
      expectations: results,
      propagationMs,
      cohorts,
      timeline: deviceTimelines(emulator),
      eventsDropped: emulator.log.storyDropped(),
      replay: `npx fleetsim run ${loaded.file} --seed ${seed}`,
      wallMs: Math.round(performance.now() - wallStart),
    };
  } finally {
    await emulator.close();
    if (dir) rmSync(dir, { recursive: true });
  }
}

/** The spec rule behind a refusal reason, unless the reason is one of fleetsim's own design. */
function refusalRule(code: string): string[] {
  const specId: string | undefined = REASONS[code as keyof typeof REASONS]?.specId;
  return specId && specId !== '[design]' ? [specId] : [];
}

/** Virtual: jump; scaled: wait for the wall clock to get there. */
async function moveTo(emulator: Emulator, atMs: number): Promise<void> {
  const { clock } = emulator;
  if ('advanceTo' in clock) {
    if (atMs > clock.now()) await clock.advanceTo(atMs);
    return;
  }
  while (clock.now() < atMs)
    // Stryker disable next-line MethodExpression,ArithmeticOperator: how long each poll waits (at most 50 ms of wall time); the loop ends once the clock has reached atMs whatever the wait
    await new Promise((r) => setTimeout(r, Math.min(50, (atMs - clock.now()) / clock.speed)));
}

type Step<K extends ScenarioStep['do']> = Extract<ScenarioStep, { do: K }>;
const ACTION_REQUESTS: {
  [K in 'wipe' | 'retire' | 'freshStart' | 'sync' | 'delete']: (s: Step<K>) => ActionRequest;
} = {
  wipe: (s) => ({ action: 'wipe', options: { ...(s.options ?? {}) } }),
  retire: () => ({ action: 'retire' }),
  freshStart: (s) => ({ action: 'freshStart', keepUserData: s.keepUserData }),
  sync: () => ({ action: 'sync' }),
  delete: () => ({ action: 'delete' }),
};

/** Carries out one step; returns problems (an unexpected refusal). Expected refusals become verdicts. */
async function runStep(ctx: RunContext, step: ScenarioStep, results: ExpectationResult[]): Promise<string[]> {
  const { emulator } = ctx;
  const service = emulator.service;
  const errors: string[] = [];
  const where = `step at ${step.at} (${step.do}${step.id ? ` ${step.id}` : ''})`;
  switch (step.do) {
    case 'wipe':
    case 'retire':
    case 'freshStart':
    case 'sync':
    case 'delete':
    case 'companyPortal': {
      const outcomes: StepOutcome[] = [];
      for (const agent of ctx.devicesOf(step.target)) {
        const id = agent.credentials?.managedDeviceId;
        let result: ServiceResult<ActionRecord | null>;
        if (!id)
          result = {
            ok: false,
            error: { code: 'notFound', message: `${agent.serialNumber} is not enrolled` },
          };
        else if (step.do === 'companyPortal') {
          const user = step.user ?? agent.device.identity.user?.userPrincipalName ?? '';
          result = emulator.companyPortal(id, user, step.action);
        } else result = service.requestAction(id, ACTION_REQUESTS[step.do](step as never), SCENARIO_ADMIN);
        outcomes.push({
          serialNumber: agent.serialNumber,
          action: result.ok ? result.value : null,
          refusal: result.ok ? null : { code: result.error.code, message: result.error.message },
        });
      }
      if (step.id) ctx.outcomes.set(step.id, outcomes);
      if (step.expectRefused) {
        const wrong = outcomes.filter((o) => o.refusal?.code !== step.expectRefused);
        results.push({
          index: -1,
          kind: 'refused',
          id: step.id ?? null,
          // The rule behind the reason (W-3, W-8, …), unless the reason is one of fleetsim's own design.
          specIds: refusalRule(step.expectRefused),
          description: `${step.do} refused with ${step.expectRefused}`,
          passed: wrong.length === 0 && outcomes.length > 0,
          expected: `every device refuses with ${step.expectRefused}`,
          found:
            outcomes.length === 0
              ? 'no devices: the target selected none, so nothing was checked (an error, not a pass)'
              : wrong.length === 0
                ? `${outcomes.length} refused with ${step.expectRefused}`
                : wrong.map((o) => `${o.serialNumber}: ${o.refusal?.code ?? 'accepted'}`).join('; '),
          failingDevices: wrong.map((o) => o.serialNumber),
          at: new Date(emulator.clock.now()).toISOString(),
        });
      } else {
        for (const o of outcomes)
          if (o.refusal)
            errors.push(`${where}: ${o.serialNumber} refused: ${o.refusal.code}: ${o.refusal.message}`);
      }
      return errors;
    }
    case 'cleanupSettings': {
      const r = service.setCleanupDays(step.days);
      if (step.expectRefused && r.ok)
        errors.push(`${where}: ${step.days} days was accepted, expected a refusal`);
      if (!step.expectRefused && !r.ok) errors.push(`${where}: ${r.error.message}`);
      return errors;
    }
    case 'deleteUser':
      if (!service.directory.deleteUser(step.user)) errors.push(`${where}: no user ${step.user}`);
      return errors;
    case 'deleteAzureAdDevice':
      for (const agent of ctx.devicesOf(step.target)) {
        const record = agent.credentials ? service.devices.get(agent.credentials.managedDeviceId) : undefined;
        if (!record || !service.directory.deleteAzureAdDevice(record.azureADDeviceId))
          errors.push(`${where}: ${agent.serialNumber} has no Azure AD record`);
      }
      return errors;
    case 'abm':
      for (const agent of ctx.devicesOf(step.target))
        service.directory.setAbmAssignment(agent.serialNumber, step.assigned);
      return errors;
    case 'power':
      for (const agent of ctx.devicesOf(step.target)) emulator.power(agent.serialNumber, step.on);
      return errors;
    case 'network':
      for (const agent of ctx.devicesOf(step.target)) emulator.network(agent.serialNumber, step.online);
      return errors;
    case 'pushChannel':
      emulator.pushChannel(step.channel, step.up);
      return errors;
    case 'fault':
      for (const agent of ctx.devicesOf(step.target)) {
        // The agent leaves what the step does not name as it is.
        const { conditions, bitLocker, recoveryEnvironmentHealthy } = step;
        emulator.fault(agent.serialNumber, { conditions, bitLocker, recoveryEnvironmentHealthy });
      }
      return errors;
    case 'enrollAgain':
      for (const agent of ctx.devicesOf(step.target)) agent.enroll(false);
      return errors;
    case 'restartService':
      try {
        await emulator.restartService();
      } catch (e) {
        errors.push(`${where}: the service did not come back: ${(e as Error).message}`);
      }
      return errors;
  }
}
