import type { ActionRecord, DeviceRecord } from '../../broker/service/types.ts';
import { parseDuration } from '../../sim/duration.ts';
import { checkFact } from './facts.ts';
import { recordFacts } from './record-facts.ts';
import type { ExpectationResult } from './results.ts';
import type { RunContext } from './runner.ts';
import type { Expectation } from './schema.ts';

const minutes = (ms: number) => `${(ms / 60_000).toFixed(1)} min`;

/** Does `share` of the per-device verdicts hold? all / any / "95%". */
function quantified(verdicts: boolean[], quantifier = 'all'): boolean {
  if (verdicts.length === 0) return false;
  const yes = verdicts.filter(Boolean).length;
  if (quantifier === 'all') return yes === verdicts.length;
  if (quantifier === 'any') return yes > 0;
  return yes / verdicts.length >= Number(quantifier.slice(0, -1)) / 100;
}

/** An expectation in words: in its verdict, and in the dashboard's playback before it is judged. */
export function describeExpectation(e: Expectation): string {
  switch (e.expect) {
    case 'acknowledged':
      return `${e.of} ${e.not ? 'NOT ' : ''}acknowledged within ${e.within} (${e.devices ?? 'all'} devices)`;
    case 'completed':
      return `${e.of} completed${e.status ? ` ${e.status}` : ''}${e.reasonCode ? ` (${e.reasonCode})` : ''} within ${e.within} (${e.devices ?? 'all'})`;
    case 'pending':
      return `${e.of} ${e.actionState ?? 'still pending or active'} at ${e.at} (${e.devices ?? 'all'})`;
    case 'propagation':
      return `p${e.percentile} of ${e.of}'s propagation below ${e.below}`;
    case 'state':
      return `at ${e.at}: ${Object.entries(e.facts)
        .map(([k, v]) => `${k} = ${JSON.stringify(v)}`)
        .join(', ')}`;
    case 'record':
      return `at ${e.at}: record ${[
        e.listed !== undefined ? (e.listed ? 'listed' : 'not listed') : '',
        e.managementState ?? '',
        e.reappeared !== undefined ? (e.reappeared ? 'reappeared' : 'not reappeared') : '',
        e.newRecord !== undefined ? (e.newRecord ? 'a new record' : 'not a new record') : '',
        e.sameRecord !== undefined ? (e.sameRecord ? 'the same record' : 'not the same record') : '',
      ]
        .filter(Boolean)
        .join(', ')}`;
  }
}

/** Judges one expectation now; per-device verdicts are combined by its quantifier. */
export function judge(ctx: RunContext, e: Expectation, index: number): ExpectationResult {
  const { emulator } = ctx;
  const service = emulator.service;
  const base = {
    index,
    kind: e.expect,
    id: e.id ?? null,
    specIds: e.specIds ?? [],
    description: describeExpectation(e),
    at: new Date(emulator.clock.now()).toISOString(),
  };
  const actionOf = (a: ActionRecord | null) => (a ? service.actions.get(a.id) : undefined);
  const verdict = (
    perDevice: { serial: string; ok: boolean; found: string }[],
    quantifier: string | undefined,
    expected: string,
  ) => {
    const passed = quantified(
      perDevice.map((d) => d.ok),
      quantifier,
    );
    const failing = perDevice.filter((d) => !d.ok);
    const found =
      perDevice.length === 0
        ? 'no devices: the target selected none, so nothing was checked (an error, not a pass)'
        : failing.length === 0
          ? `all ${perDevice.length} as expected`
          : `${perDevice.length - failing.length} of ${perDevice.length} as expected; ${failing
              .slice(0, 5)
              .map((d) => `${d.serial}: ${d.found}`)
              .join('; ')}${failing.length > 5 ? ` (+${failing.length - 5} more)` : ''}`;
    return { ...base, passed, expected, found, failingDevices: failing.map((d) => d.serial) };
  };

  switch (e.expect) {
    case 'acknowledged': {
      const within = parseDuration(e.within);
      // Stryker disable next-line ArrayDeclaration: whatever array stands here goes through .filter((o) => o.action), which drops anything without an action
      const outs = (ctx.outcomes.get(e.of) ?? []).filter((o) => o.action);
      const per = outs.map((o) => {
        const a = actionOf(o.action)!;
        const ms = a.acknowledgedAtMs === null ? null : a.acknowledgedAtMs - a.requestedAtMs;
        const inTime = ms !== null && ms <= within;
        return {
          serial: o.serialNumber,
          ok: e.not ? !inTime : inTime,
          found: ms === null ? 'not acknowledged' : `acknowledged after ${minutes(ms)}`,
        };
      });
      return verdict(per, e.devices, `${e.not ? 'not ' : ''}acknowledged within ${e.within}`);
    }
    case 'completed': {
      const within = parseDuration(e.within);
      // Stryker disable next-line ArrayDeclaration: whatever array stands here goes through .filter((o) => o.action), which drops anything without an action
      const per = (ctx.outcomes.get(e.of) ?? [])
        .filter((o) => o.action)
        .map((o) => {
          const a = actionOf(o.action)!;
          const endedAtMs = a.completedAtMs ?? (a.state === 'canceled' ? a.lastUpdatedAtMs : null);
          const tookMs = endedAtMs === null ? null : endedAtMs - a.requestedAtMs;
          const inTime = tookMs !== null && tookMs <= within;
          const ok =
            inTime && (!e.status || a.state === e.status) && (!e.reasonCode || a.reasonCode === e.reasonCode);
          const state = `${a.state}${a.reasonCode ? ` (${a.reasonCode})` : ''}`;
          return {
            serial: o.serialNumber,
            ok,
            found:
              tookMs === null
                ? `not finished (${state})`
                : `${state} after ${minutes(tookMs)}${inTime ? '' : `, later than ${e.within}`}`,
          };
        });
      return verdict(
        per,
        e.devices,
        `${e.status ?? 'completed'}${e.reasonCode ? ` (${e.reasonCode})` : ''} within ${e.within}`,
      );
    }
    case 'pending': {
      // Stryker disable next-line ArrayDeclaration: whatever array stands here goes through .filter((o) => o.action), which drops anything without an action
      const per = (ctx.outcomes.get(e.of) ?? [])
        .filter((o) => o.action)
        .map((o) => {
          const a = actionOf(o.action)!;
          const ok = e.actionState
            ? a.state === e.actionState
            : a.state === 'pending' || a.state === 'active';
          return { serial: o.serialNumber, ok, found: a.state };
        });
      return verdict(per, e.devices, e.actionState ?? 'pending or active');
    }
    case 'propagation': {
      const below = parseDuration(e.below);
      // Stryker disable next-line ArrayDeclaration: whatever array stands here goes through .filter((o) => o.action), which drops anything without an action
      const per = (ctx.outcomes.get(e.of) ?? [])
        .filter((o) => o.action)
        .map((o) => {
          const a = actionOf(o.action)!;
          const ms =
            a.acknowledgedAtMs === null ? Number.POSITIVE_INFINITY : a.acknowledgedAtMs - a.requestedAtMs;
          return { serial: o.serialNumber, ms };
        });
      const times = per.map((d) => d.ms).sort((a, b) => a - b);
      // The p-th percentile is the smallest time with at least p% of the devices at or under it (p0: the fastest).
      const nth = Math.ceil((e.percentile / 100) * times.length) - 1;
      // Stryker disable next-line ArithmeticOperator: the schema keeps percentile ≤ 100, so the rank is never past the last index and the length bound never decides
      const rank = Math.min(times.length - 1, Math.max(0, nth));
      const value = times.length ? times[rank]! : Number.POSITIVE_INFINITY;
      const slow = per.filter((d) => d.ms > below);
      const slowText = slow
        .slice(0, 5)
        .map((d) => `${d.serial}: ${Number.isFinite(d.ms) ? minutes(d.ms) : 'never acknowledged'}`)
        .join('; ');
      return {
        ...base,
        // Stryker disable next-line ConditionalExpression,EqualityOperator: with no devices value is +Infinity, never ≤ a parsed duration, so the length test never decides
        passed: times.length > 0 && value <= below,
        expected: `p${e.percentile} ≤ ${e.below}`,
        found:
          times.length === 0
            ? 'no devices: the step reached none, so nothing was checked (an error, not a pass)'
            : `${Number.isFinite(value) ? `p${e.percentile} = ${minutes(value)}` : `p${e.percentile} never acknowledged`} over ${times.length} devices${slow.length > 0 ? `; slower than ${e.below}: ${slowText}${slow.length > 5 ? ` (+${slow.length - 5} more)` : ''}` : ''}`,
        failingDevices: slow.map((d) => d.serial),
      };
    }
    case 'state': {
      const per = ctx.devicesOf(e.target).map((agent) => {
        const view = emulator.device(agent.serialNumber)!;
        const creds = agent.credentials;
        const record = creds
          ? recordFacts(service.devices.get(creds.managedDeviceId), service.channels.get(creds.channelId))
          : undefined;
        const root = { identity: view.identity, state: view.state, online: view.online, record };
        const misses = Object.entries(e.facts)
          .map(([path, expected]) => ({ path, ...checkFact(root, path, expected) }))
          .filter((r) => !r.ok);
        return {
          serial: agent.serialNumber,
          ok: misses.length === 0,
          found: misses.map((m) => `${m.path} = ${JSON.stringify(m.found)}`).join(', '),
        };
      });
      return verdict(
        per,
        e.devices,
        Object.entries(e.facts)
          .map(([k, v]) => `${k} = ${JSON.stringify(v)}`)
          .join(', '),
      );
    }
    case 'record': {
      const { reappeared, recordsOf } = recordIndex(ctx);
      const per = ctx.devicesOf(e.target).map((agent) => {
        const records = recordsOf.get(agent.serialNumber) ?? [];
        const current = records.find((d) => d.listed) ?? records.at(-1);
        const listed = current?.listed ?? false;
        const state = current?.managementState;
        // D-9: a re-enrolled device is a new record with a new id; the first is the one enrolled at the start.
        const first = ctx.firstRecordIds.get(agent.serialNumber);
        const isNew = current !== undefined && current.id !== first;
        const ok =
          (e.listed === undefined || listed === e.listed) &&
          (e.managementState === undefined || state === e.managementState) &&
          (e.reappeared === undefined || reappeared.has(agent.serialNumber) === e.reappeared) &&
          (e.newRecord === undefined || isNew === e.newRecord) &&
          (e.sameRecord === undefined || (current !== undefined && !isNew) === e.sameRecord);
        return {
          serial: agent.serialNumber,
          ok,
          found: `${listed ? 'listed' : 'not listed'}, ${state ?? 'no record'}${reappeared.has(agent.serialNumber) ? ', reappeared' : ''}${current ? `, ${isNew ? 'a new record' : 'the first record'}` : ''}`,
        };
      });
      // Stryker disable next-line Regex: a record expectation's description always begins with "at ", so the leftmost match is the anchored one
      return verdict(per, e.devices, describeExpectation(e).replace(/^at [^:]+: /, ''));
    }
  }
}

/** Every record of each serial number, oldest first, and the serial numbers that reappeared (D-4). */
interface RecordIndex {
  recordsOf: Map<string, DeviceRecord[]>;
  reappeared: Set<string>;
}
const recordIndexes = new WeakMap<object, { atMs: number; appended: number; index: RecordIndex }>();

/**
 * From the records, not the event log (a long run's log has dropped its oldest events). Made once
 * for an instant while the log stays as it is (every change to a record is logged): the record
 * expectations of a scenario's end, one per cohort, each made it from every record, ~1 MB of
 * garbage apiece at 10,000 devices.
 */
function recordIndex(ctx: RunContext): RecordIndex {
  const { service, clock, log } = ctx.emulator;
  const atMs = clock.now();
  const appended = log.appended;
  const kept = recordIndexes.get(service.devices);
  if (kept && kept.atMs === atMs && kept.appended === appended) return kept.index;
  const reappeared = new Set<string>();
  const recordsOf = new Map<string, DeviceRecord[]>();
  for (const d of service.devices.values()) {
    if (d.reappearedFrom) reappeared.add(d.identity.serialNumber);
    const list = recordsOf.get(d.identity.serialNumber);
    if (list) list.push(d);
    else recordsOf.set(d.identity.serialNumber, [d]);
  }
  const index = { recordsOf, reappeared };
  recordIndexes.set(service.devices, { atMs, appended, index });
  return index;
}
