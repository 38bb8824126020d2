import type { ActionRecord } from '../../broker/service/types.ts';
import { judge } from '../../scenarios/engine/judge.ts';
import type { RunContext, StepOutcome } from '../../scenarios/engine/runner.ts';
import type { Expectation } from '../../scenarios/engine/schema.ts';

/** Hand-made action records, device records and a run context for judging them (no emulator). */
export const MIN = 60_000;
export const T0 = Date.UTC(2026, 0, 5);

export function action(id: string, over: Partial<ActionRecord>): ActionRecord {
  return {
    id,
    deviceId: `dev-${id}`,
    kind: 'retire',
    command: { id, type: 'retire' },
    state: 'done',
    requestedAtMs: T0,
    deliveredAtMs: null,
    acknowledgedAtMs: null,
    completedAtMs: null,
    lastUpdatedAtMs: T0,
    initiatedBy: 'admin',
    source: 'admin',
    bulkId: null,
    reasonCode: null,
    rules: [],
    ...over,
  } as ActionRecord;
}

interface FakeRecord {
  id: string;
  serial: string;
  listed: boolean;
  managementState: string;
  deletePending?: boolean;
}

export function context(
  actions: ActionRecord[],
  options: {
    records?: FakeRecord[];
    first?: Record<string, string>;
    /** Record ids that reappeared (D-4). */
    reappeared?: string[];
    states?: Record<string, unknown>;
  } = {},
): RunContext {
  const outcomes: StepOutcome[] = actions.map((a) => ({
    serialNumber: `SN-${a.id}`,
    action: a,
    refusal: null,
  }));
  const records = (options.records ?? []).map((r) => [
    r.id,
    {
      id: r.id,
      listed: r.listed,
      managementState: r.managementState,
      deletePending: r.deletePending ?? false,
      identity: { serialNumber: r.serial },
      reappearedFrom: options.reappeared?.includes(r.id) ? 'an-older-record' : null,
    },
  ]);
  const serials = [
    ...new Set([...actions.map((a) => `SN-${a.id}`), ...(options.records ?? []).map((r) => r.serial)]),
  ];
  return {
    emulator: {
      service: { actions: new Map(actions.map((a) => [a.id, a])), devices: new Map(records as never) },
      clock: { now: () => T0 + 60 * MIN },
      // The judge reads records, not the event log (a long run's log drops its oldest events).
      log: { ofType: () => [], all: () => [] },
      device: (serial: string) => ({ identity: {}, state: options.states?.[serial] ?? {}, online: true }),
    },
    startMs: T0,
    stepAtMs: new Map(),
    outcomes: new Map([['step', outcomes]]),
    firstRecordIds: new Map(Object.entries(options.first ?? {})),
    devicesOf: () => serials.map((serialNumber) => ({ serialNumber, credentials: null })),
  } as unknown as RunContext;
}

export const run = (e: Expectation, ctx: RunContext) => judge(ctx, e, 0);
