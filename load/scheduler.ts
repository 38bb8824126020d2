import type { ScaledClock } from '../sim/clock/scaled-clock.ts';
import { createRng } from '../sim/prng.ts';
import { type ActionStep, devicesFor, SCRIPT_ACTIONS } from './action-script.ts';
import { type ApiClient, BULK_IDS_MAX } from './graph-client.ts';
import type { Tally } from './tally.ts';

/** What became of one step of the script. */
export interface StepOutcome {
  text: string;
  action: string;
  /** Sim ms after the start at which it was meant to happen. */
  atMs: number;
  /** Wall ms between its intended time and its request leaving (the generator's own lateness). */
  sentLateMs: number;
  /** Devices managed (and not already leaving) when it fired: what "10%" was taken of. */
  managed: number;
  targeted: number;
  accepted: number;
  refused: number;
}

/**
 * Open loop: each step fires at its intended sim time whatever the service is doing, and the
 * tally measures from that time. Devices are drawn from those managed at that moment, by a
 * seeded generator, so the same seed picks the same share of the same fleet.
 */
export class ActionScheduler {
  readonly outcomes: StepOutcome[];
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  /** Devices already sent a wipe or retire: a second one would only be refused. */
  private readonly leaving = new Set<string>();

  constructor(
    private readonly steps: readonly ActionStep[],
    private readonly deps: {
      clock: ScaledClock;
      startSimMs: number;
      api: ApiClient;
      tally: Tally;
      seed: string;
    },
  ) {
    this.outcomes = steps.map((s) => ({
      text: s.text,
      action: s.action,
      atMs: s.atMs,
      sentLateMs: 0,
      managed: 0,
      targeted: 0,
      accepted: 0,
      refused: 0,
    }));
  }

  start(): void {
    const { clock, startSimMs } = this.deps;
    this.steps.forEach((step, i) => {
      const inWallMs = Math.max(0, (startSimMs + step.atMs - clock.now()) / clock.speed);
      this.timers.push(
        setTimeout(() => {
          const p = this.fire(i).finally(() => this.inFlight.delete(p));
          this.inFlight.add(p);
        }, inWallMs),
      );
    });
  }

  private async fire(i: number): Promise<void> {
    const step = this.steps[i]!;
    const outcome = this.outcomes[i]!;
    const { clock, startSimMs, api, tally, seed } = this.deps;
    const intendedMs = startSimMs + step.atMs;
    outcome.sentLateMs = Math.max(0, (clock.now() - intendedMs) / clock.speed);
    const removes = SCRIPT_ACTIONS[step.action].removes;
    const candidates = [...tally.managed.keys()].filter((id) => !this.leaving.has(id));
    const n = devicesFor(step.amount, candidates.length, tally.managed.size);
    const chosen = pick(candidates, n, `${seed}/action:${i}`);
    outcome.managed = candidates.length;
    outcome.targeted = chosen.length;
    for (const id of chosen) {
      tally.expect(id, step.action, intendedMs, i);
      if (removes) this.leaving.add(id);
    }
    for (let from = 0; from < chosen.length; from += BULK_IDS_MAX) {
      const ids = chosen.slice(from, from + BULK_IDS_MAX);
      try {
        const answer = await api.executeAction(SCRIPT_ACTIONS[step.action].graphName, ids, step.options);
        outcome.accepted += answer.successfulDeviceIds.length;
        for (const bucket of ['failedDeviceIds', 'notFoundDeviceIds', 'notSupportedDeviceIds'] as const) {
          for (const id of answer[bucket] ?? []) {
            tally.refused(id, step.action, i, bucket);
            outcome.refused++;
          }
        }
      } catch {
        for (const id of ids) tally.refused(id, step.action, i, 'http');
        outcome.refused += ids.length;
      }
    }
  }

  /** Cancels steps not yet due and waits for requests already sent. */
  async stop(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    await Promise.all(this.inFlight);
  }
}

/** `n` of `items`, drawn without replacement by a seeded partial shuffle. */
export function pick<T>(items: readonly T[], n: number, seed: string): T[] {
  const a = [...items];
  const rng = createRng(seed);
  for (let i = 0; i < n && i < a.length; i++) {
    const j = rng.int(i, a.length - 1);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a.slice(0, Math.min(n, a.length));
}
