import { basename } from 'node:path';
import { loadScenarioFile, ScenarioError } from '../scenarios/engine/load.ts';
import type { ScenarioCohort, ScenarioStep, Target } from '../scenarios/engine/schema.ts';
import { parseDuration } from '../sim/duration.ts';
import { type ActionAmount, type ActionStep, ScriptError, type WipeOptions } from './action-script.ts';

/**
 * `--script scenario.yaml`: a scenario file's timeline as the load run's admin script. The file is
 * read by the scenario engine's own loader (the same validation, the same error positions); each
 * admin step the load scheduler can send becomes an ActionStep at the step's sim time. The rest —
 * device-side events, service restarts, expectations — is listed as skipped, never dropped silently.
 *
 * Targets name the scenario's cohorts, which the load fleet (--mix, scaled to --devices) does not
 * have; a target becomes the same share of the load fleet: `all` → every managed device, a cohort
 * → its share of the scenario's fleet (12 of 120 → 10% of the managed devices, whatever other steps
 * took before it), one device (cohort and index) → 1 device.
 * Devices are drawn at random (seeded) from the managed ones when the step fires, as for --action.
 */
export interface ScenarioScript {
  steps: ActionStep[];
  /** One line per timeline step left out and one for the expectations, each saying why. */
  skipped: string[];
}

type Step = ScenarioStep;
type Translated = { action: ActionStep['action']; options?: WipeOptions } | { skip: string };

/** Wipe options Graph's bulk executeAction carries; the others have no place in it. */
const BULK_WIPE_OPTIONS = ['keepEnrollmentData', 'keepUserData', 'persistEsimDataPlan'] as const;

const DEVICE_SIDE = 'happens on the device, which load does not script';
/** Why each kind of step the scheduler cannot send is left out; the sendable ones translate. */
const TRANSLATE: { readonly [K in Step['do']]: (step: Extract<Step, { do: K }>) => Translated } = {
  wipe: (s) => {
    const unsent = Object.keys(s.options ?? {}).filter(
      (k) => !(BULK_WIPE_OPTIONS as readonly string[]).includes(k),
    );
    if (unsent.length > 0)
      return { skip: `a wipe with ${unsent.join(', ')}: Graph's bulk executeAction cannot carry it` };
    const options: WipeOptions = {};
    for (const k of BULK_WIPE_OPTIONS) if (s.options?.[k] !== undefined) options[k] = s.options[k];
    return Object.keys(options).length > 0 ? { action: 'wipe', options } : { action: 'wipe' };
  },
  retire: () => ({ action: 'retire' }),
  sync: () => ({ action: 'sync' }),
  delete: () => ({ action: 'delete' }),
  freshStart: () => ({ skip: "Fresh Start is not among Graph's bulk executeAction actions" }),
  companyPortal: () => ({ skip: `a user's Company Portal request ${DEVICE_SIDE}` }),
  cleanupSettings: () => ({ skip: 'a cleanup-rule change is not an action on devices' }),
  deleteUser: () => ({ skip: 'a directory change is not an action on devices' }),
  deleteAzureAdDevice: () => ({ skip: 'a directory change is not an action on devices' }),
  abm: () => ({ skip: 'an Apple Business Manager change is not an action on devices' }),
  power: () => ({ skip: `a power cut or power-on ${DEVICE_SIDE}` }),
  network: () => ({ skip: `a network change ${DEVICE_SIDE}` }),
  fault: () => ({ skip: `a fault ${DEVICE_SIDE}` }),
  enrollAgain: () => ({ skip: `an enrollment ${DEVICE_SIDE}` }),
  pushChannel: () => ({ skip: "a push-channel outage is the service's, not an admin action" }),
  restartService: () => ({ skip: 'a service restart is not an admin action' }),
};

function translate(step: Step): Translated {
  return (TRANSLATE[step.do] as (s: Step) => Translated)(step);
}

/** How much of the load fleet a scenario target stands for. */
function amountOf(
  target: Target,
  cohorts: readonly ScenarioCohort[],
): { amount: ActionAmount; text: string } {
  if (target === 'all') return { amount: { kind: 'percent', percent: 100 }, text: 'all' };
  if (target.index !== undefined) return { amount: { kind: 'count', count: 1 }, text: '1' };
  const total = cohorts.reduce((n, c) => n + c.count, 0);
  const own = cohorts.find((c) => c.name === target.cohort)!.count; // the loader checked the name
  const percent = Math.round(((own * 100) / total) * 100) / 100;
  return { amount: { kind: 'percent', percent, ofFleet: true }, text: `${percent}% of the fleet` };
}

/** The file's first problem, on one line: nothing starts with a broken script. */
function oneLine(path: string, e: unknown): ScriptError {
  if (e instanceof ScenarioError) {
    const [first, ...rest] = e.problems;
    const where = `${first!.file}:${first!.line}:${first!.column}`;
    const more = rest.length > 0 ? ` (and ${rest.length} more problem${rest.length > 1 ? 's' : ''})` : '';
    return new ScriptError(
      `--script ${where}: ${first!.field ? `${first!.field}: ` : ''}${first!.message}${more}`,
    );
  }
  const code = (e as NodeJS.ErrnoException).code;
  return new ScriptError(`--script: cannot read "${path}"${code ? ` (${code})` : ''}`);
}

export function scriptFromScenario(path: string): ScenarioScript {
  let loaded: ReturnType<typeof loadScenarioFile>;
  try {
    loaded = loadScenarioFile(path);
  } catch (e) {
    throw oneLine(path, e);
  }
  const name = basename(path);
  const steps: ActionStep[] = [];
  const skipped: string[] = [];
  for (const [i, step] of (loaded.scenario.timeline ?? []).entries()) {
    const where = `${name} timeline ${i + 1}${step.id ? `, ${step.id}` : ''}`;
    const t = translate(step);
    if ('skip' in t) {
      skipped.push(`${where}: ${step.do} at ${step.at}: ${t.skip}`);
      continue;
    }
    const { amount, text } = amountOf((step as Extract<Step, { target: Target }>).target, loaded.cohorts);
    steps.push({
      text: `${t.action} ${text} at ${step.at} (${where})`,
      action: t.action,
      amount,
      atMs: parseDuration(step.at),
      ...(t.options ? { options: t.options } : {}),
    });
  }
  const expectations = loaded.scenario.expect.length;
  if (expectations > 0)
    skipped.push(
      `${name}: ${expectations} expectation${expectations > 1 ? 's' : ''}: load judges a run by --slo, not by a scenario's expectations`,
    );
  if (steps.length === 0)
    throw new ScriptError(
      `--script ${path}: no step of its timeline is an admin action load can send (wipe, retire, sync, delete)${
        loaded.scenario.timeline?.length
          ? `; it has ${[...new Set(loaded.scenario.timeline.map((s) => s.do))].join(', ')}`
          : '; it has no timeline'
      }`,
    );
  return { steps, skipped };
}
