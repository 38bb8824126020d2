import { parseDuration } from '../sim/duration.ts';

/**
 * Scripted admin load: `wipe 10% at 5m`, `retire 500 at 8m`, `sync all at 2m`, `delete 5 at 3m`
 * (or a scenario file's timeline: scenario-script.ts). Each action has an
 * intended sim time (from the start of the run); latency is measured from it, never from when the
 * request happened to leave (no coordinated omission).
 */
export const SCRIPT_ACTIONS = {
  wipe: { graphName: 'wipe', removes: true },
  retire: { graphName: 'retire', removes: true },
  sync: { graphName: 'syncDevice', removes: false },
  delete: { graphName: 'delete', removes: true },
} as const;
export type ScriptAction = keyof typeof SCRIPT_ACTIONS;

/**
 * How many devices an action takes: a count, or a share of the managed devices not already being
 * wiped, retired or deleted (`--action "wipe 10% at 5m"`) — or, `ofFleet`, a share of every managed
 * device (a scenario's cohort: its wipe takes its cohort's share of the fleet, whatever steps at the
 * same time took before it).
 */
export type ActionAmount =
  | { kind: 'count'; count: number }
  | { kind: 'percent'; percent: number; ofFleet?: true };

/** A wipe's options that Graph's bulk executeAction carries (a scenario's wipe step may give them). */
export interface WipeOptions {
  keepEnrollmentData?: boolean;
  keepUserData?: boolean;
  persistEsimDataPlan?: boolean;
}

export interface ActionStep {
  /** As written, for reports. */
  text: string;
  action: ScriptAction;
  amount: ActionAmount;
  /** Sim ms after the start of the run. */
  atMs: number;
  options?: WipeOptions;
}

export class ScriptError extends Error {
  override name = 'ScriptError';
}

const SHAPE = /^\s*(\w+)\s+(all|\d+(?:\.\d+)?%|\d+)\s+at\s+(\S+)\s*$/i;

/** Parses one `--action`; the error names the text and the part that is wrong. */
export function parseActionStep(text: string): ActionStep {
  const m = SHAPE.exec(text);
  const usage = 'write it like "wipe 10% at 5m", "retire 500 at 8m", "sync all at 2m" or "delete 5 at 3m"';
  if (!m) throw new ScriptError(`--action "${text}": ${usage}`);
  const [, name, amountText, atText] = m as unknown as [string, string, string, string];
  const action = name.toLowerCase();
  if (!Object.hasOwn(SCRIPT_ACTIONS, action))
    throw new ScriptError(
      `--action "${text}": unknown action "${name}"; one of ${Object.keys(SCRIPT_ACTIONS).join(', ')}`,
    );
  let amount: ActionAmount;
  if (amountText.toLowerCase() === 'all') amount = { kind: 'percent', percent: 100 };
  else if (amountText.endsWith('%')) {
    const percent = Number(amountText.slice(0, -1));
    if (!(percent > 0 && percent <= 100))
      throw new ScriptError(
        `--action "${text}": a share must be above 0% and at most 100%, got ${amountText}`,
      );
    amount = { kind: 'percent', percent };
  } else {
    const count = Number(amountText);
    if (!Number.isInteger(count) || count < 1)
      throw new ScriptError(
        `--action "${text}": a count must be a whole number of at least 1, got ${amountText}`,
      );
    amount = { kind: 'count', count };
  }
  let atMs: number;
  try {
    atMs = parseDuration(atText);
  } catch (e) {
    throw new ScriptError(`--action "${text}": ${(e as Error).message}`);
  }
  return { text: text.trim(), action: action as ScriptAction, amount, atMs };
}

/** `--sync-every 1m` until `durationMs`: a sync to every enrolled device at each multiple. */
export function syncWaves(everyMs: number, durationMs: number): ActionStep[] {
  const steps: ActionStep[] = [];
  for (let at = everyMs; at < durationMs; at += everyMs)
    steps.push({
      text: `sync all at ${at}ms`,
      action: 'sync',
      amount: { kind: 'percent', percent: 100 },
      atMs: at,
    });
  return steps;
}

/** How many of `available` devices an amount takes, of `fleet` managed devices in all. */
export function devicesFor(amount: ActionAmount, available: number, fleet = available): number {
  if (amount.kind === 'count') return Math.min(amount.count, available);
  return Math.min(available, Math.round(((amount.ofFleet ? fleet : available) * amount.percent) / 100));
}
