import { describe, expect, it, vi } from 'vitest';
import { judge } from '../../scenarios/engine/judge.ts';
import type { RunContext } from '../../scenarios/engine/runner.ts';
import { action, context, MIN, run, T0 } from '../helpers/judge-context.ts';

/**
 * The judge on its own, over hand-made action records and device records: exact boundaries
 * (an acknowledgement exactly at `within` counts), exact messages, and how each kind picks its
 * devices. The must-fail scenarios (test/scenarios/must-fail.test.ts) run the same kinds end to end.
 */

describe('the judge, kind by kind', () => {
  it('acknowledged: exactly at `within` counts; a minute later does not; `not` turns it round', () => {
    const ctx = context([
      action('a', { acknowledgedAtMs: T0 + 15 * MIN }),
      action('b', { acknowledgedAtMs: T0 + 15 * MIN + 1 }),
    ]);
    const r = run({ expect: 'acknowledged', of: 'step', within: '15m' }, ctx);
    expect(r).toMatchObject({
      passed: false,
      description: 'step acknowledged within 15m (all devices)',
      expected: 'acknowledged within 15m',
      found: '1 of 2 as expected; SN-b: acknowledged after 15.0 min',
      failingDevices: ['SN-b'],
    });
    const not = run({ expect: 'acknowledged', of: 'step', within: '15m', not: true, devices: 'any' }, ctx);
    expect(not).toMatchObject({
      passed: true,
      description: 'step NOT acknowledged within 15m (any devices)',
      expected: 'not acknowledged within 15m',
      failingDevices: ['SN-a'],
    });
  });

  it('completed: ends exactly at `within`; late, unfinished and canceled actions say what they are', () => {
    const ctx = context([
      action('a', { completedAtMs: T0 + 60 * MIN }),
      action('b', { completedAtMs: T0 + 60 * MIN + 1 }),
      action('c', { state: 'active', completedAtMs: null }),
      action('d', { state: 'canceled', completedAtMs: null, lastUpdatedAtMs: T0 + 5 * MIN }),
    ]);
    const r = run({ expect: 'completed', of: 'step', within: '1h', status: 'done', devices: '25%' }, ctx);
    expect(r).toMatchObject({
      passed: true,
      description: 'step completed done within 1h (25%)',
      expected: 'done within 1h',
      found:
        '1 of 4 as expected; SN-b: done after 60.0 min, later than 1h; SN-c: not finished (active); SN-d: canceled after 5.0 min',
    });
    const canceled = run(
      { expect: 'completed', of: 'step', within: '1h', status: 'canceled', devices: 'any' },
      ctx,
    );
    expect(canceled.passed).toBe(true);
    const reason = context([
      action('e', { state: 'failed', completedAtMs: T0 + MIN, reasonCode: 'deviceBusy' }),
    ]);
    expect(
      run(
        {
          expect: 'completed',
          of: 'step',
          within: '1h',
          status: 'failed',
          reasonCode: 'powerLostDuringWipe',
        },
        reason,
      ),
    ).toMatchObject({
      passed: false,
      description: 'step completed failed (powerLostDuringWipe) within 1h (all)',
      expected: 'failed (powerLostDuringWipe) within 1h',
      found: '0 of 1 as expected; SN-e: failed (deviceBusy) after 1.0 min',
    });
  });

  it('pending: pending and active both count unless a state is named; devices decides over the set', () => {
    const ctx = context([
      action('a', { state: 'pending' }),
      action('b', { state: 'active' }),
      action('c', { state: 'done' }),
    ]);
    expect(run({ expect: 'pending', of: 'step', at: '1h' }, ctx)).toMatchObject({
      passed: false,
      description: 'step still pending or active at 1h (all)',
      expected: 'pending or active',
      found: '2 of 3 as expected; SN-c: done',
    });
    expect(run({ expect: 'pending', of: 'step', at: '1h', devices: '66%' }, ctx).passed).toBe(true);
    expect(
      run({ expect: 'pending', of: 'step', at: '1h', actionState: 'active', devices: 'any' }, ctx),
    ).toMatchObject({
      passed: true,
      description: 'step active at 1h (any)',
      failingDevices: ['SN-a', 'SN-c'],
    });
  });

  it('propagation: the percentile over every device, exactly at the bound; the slow ones named', () => {
    const acks = [1, 2, 3, 4, 20, 21, 22, 23].map((m, i) =>
      action(`p${i}`, { acknowledgedAtMs: T0 + m * MIN }),
    );
    const ctx = context([...acks, action('never', {})]);
    expect(run({ expect: 'propagation', of: 'step', percentile: 33, below: '3m' }, ctx)).toMatchObject({
      passed: true,
      description: "p33 of step's propagation below 3m",
      expected: 'p33 ≤ 3m',
      found:
        'p33 = 3.0 min over 9 devices; slower than 3m: SN-p3: 4.0 min; SN-p4: 20.0 min; SN-p5: 21.0 min; SN-p6: 22.0 min; SN-p7: 23.0 min (+1 more)',
      failingDevices: ['SN-p3', 'SN-p4', 'SN-p5', 'SN-p6', 'SN-p7', 'SN-never'],
    });
    expect(run({ expect: 'propagation', of: 'step', percentile: 34, below: '3m' }, ctx).passed).toBe(false);
    expect(run({ expect: 'propagation', of: 'step', percentile: 100, below: '1h' }, ctx)).toMatchObject({
      passed: false,
      found: expect.stringMatching(
        /^p100 never acknowledged over 9 devices; slower than 1h: SN-never: never acknowledged$/,
      ),
    });
    expect(
      run({ expect: 'propagation', of: 'step', percentile: 50, below: '1h' }, context([])),
    ).toMatchObject({
      passed: false,
      found: 'no devices: the step reached none, so nothing was checked (an error, not a pass)',
    });
  });

  it('an expectation over no devices fails and says so', () => {
    expect(run({ expect: 'completed', of: 'step', within: '1h', devices: 'any' }, context([]))).toMatchObject(
      {
        passed: false,
        found: 'no devices: the target selected none, so nothing was checked (an error, not a pass)',
      },
    );
  });

  it('names at most five failing devices in its message, and all of them in failingDevices', () => {
    const ctx = context(
      Array.from({ length: 7 }, (_, i) => action(`x${i}`, { state: 'failed', completedAtMs: T0 })),
    );
    const r = run({ expect: 'completed', of: 'step', within: '1h', status: 'done' }, ctx);
    expect(r.found).toMatch(
      /^0 of 7 as expected; SN-x0: failed after 0\.0 min; .*SN-x4: failed after 0\.0 min \(\+2 more\)$/,
    );
    expect(r.failingDevices).toHaveLength(7);
  });

  it('state: every fact, with what each failing device had', () => {
    const ctx = context([], {
      records: [{ id: 'r1', serial: 'SN-1', listed: true, managementState: 'managed' }],
      states: { 'SN-1': { boot: 'normal', management: { enrolled: true } } },
    });
    const r = run(
      {
        expect: 'state',
        at: '1h',
        target: 'all',
        facts: { 'state.boot': 'setup', 'state.management.enrolled': true },
      },
      ctx,
    );
    expect(r).toMatchObject({
      passed: false,
      description: 'at 1h: state.boot = "setup", state.management.enrolled = true',
      expected: 'state.boot = "setup", state.management.enrolled = true',
      found: '0 of 1 as expected; SN-1: state.boot = "normal"',
    });
  });

  it('record: the expectations of one instant read the service records once', () => {
    const ctx = context([], {
      records: [{ id: 'a', serial: 'SN-1', listed: true, managementState: 'managed' }],
    });
    const devices = (ctx.emulator as unknown as { service: { devices: Map<string, object> } }).service
      .devices;
    const read = vi.spyOn(devices, 'values');
    run({ expect: 'record', at: '1h', target: 'all', listed: true }, ctx);
    run({ expect: 'record', at: '1h', target: 'all', managementState: 'managed' }, ctx);
    expect(read).toHaveBeenCalledTimes(1);
  });

  it('record: the records are read again once anything is logged or the clock has moved', () => {
    const ctx = context([], {
      records: [{ id: 'a', serial: 'SN-1', listed: true, managementState: 'managed' }],
    });
    const listed = { expect: 'record', at: '1h', target: 'all', listed: true } as const;
    expect(run(listed, ctx).passed).toBe(true);
    const emulator = ctx.emulator as unknown as {
      service: { devices: Map<string, object> };
      log: { appended?: number };
      clock: { now: () => number };
    };
    // A second record of the device, the one now listed, as the service logs making it (D-9).
    const again = (id: string, listed: boolean) => ({
      id,
      listed,
      managementState: 'managed',
      identity: { serialNumber: 'SN-1' },
      reappearedFrom: null,
    });
    emulator.service.devices.set('a', again('a', false));
    emulator.service.devices.set('b', again('b', false));
    emulator.log.appended = 1;
    expect(run(listed, ctx)).toMatchObject({
      passed: false,
      found: '0 of 1 as expected; SN-1: not listed, managed, a new record',
    });
    emulator.service.devices.set('b', again('b', true));
    const now = emulator.clock.now();
    emulator.clock.now = () => now + 1;
    expect(run(listed, ctx).passed).toBe(true);
  });

  it('record: the listed record is the current one; identity, deletePending and reappearance as found', () => {
    const ctx = context([], {
      records: [
        { id: 'old', serial: 'SN-1', listed: false, managementState: 'managed' },
        { id: 'new', serial: 'SN-1', listed: true, managementState: 'managed' },
        { id: 'gone', serial: 'SN-2', listed: false, managementState: 'deletePending' },
      ],
      first: { 'SN-1': 'old', 'SN-2': 'gone' },
      reappeared: ['new'],
    });
    const r = run(
      { expect: 'record', at: '1h', target: 'all', listed: true, newRecord: true, reappeared: true },
      ctx,
    );
    expect(r).toMatchObject({
      passed: false,
      description: 'at 1h: record listed, reappeared, a new record',
      expected: 'record listed, reappeared, a new record',
      found: '1 of 2 as expected; SN-2: not listed, deletePending, the first record',
      failingDevices: ['SN-2'],
    });
    const same = run(
      {
        expect: 'record',
        at: '1h',
        target: 'all',
        listed: false,
        managementState: 'deletePending',
        sameRecord: true,
        reappeared: false,
      },
      ctx,
    );
    expect(same).toMatchObject({
      description: 'at 1h: record not listed, deletePending, not reappeared, the same record',
      found: '1 of 2 as expected; SN-1: listed, managed, reappeared, a new record',
    });
    const negative = run(
      { expect: 'record', at: '1h', target: 'all', newRecord: false, sameRecord: false },
      ctx,
    );
    expect(negative).toMatchObject({
      description: 'at 1h: record not a new record, not the same record',
      failingDevices: ['SN-1', 'SN-2'],
    });
  });

  it('reports its id and rules, and "all N as expected" when every device holds', () => {
    const ctx = context([
      action('a', { completedAtMs: T0 + MIN }),
      action('b', { completedAtMs: T0 + 2 * MIN }),
    ]);
    const r = judge(ctx, { expect: 'completed', of: 'step', within: '1h', id: 'c1', specIds: ['R-4'] }, 3);
    expect(r).toMatchObject({
      index: 3,
      kind: 'completed',
      id: 'c1',
      specIds: ['R-4'],
      passed: true,
      expected: 'completed within 1h',
      found: 'all 2 as expected',
      failingDevices: [],
    });
    expect(run({ expect: 'completed', of: 'step', within: '1h' }, ctx)).toMatchObject({
      id: null,
      specIds: [],
    });
  });

  it('exactly five failing devices are all named, with no "+0 more"', () => {
    const ctx = context(
      Array.from({ length: 5 }, (_, i) => action(`y${i}`, { state: 'failed', completedAtMs: T0 })),
    );
    expect(run({ expect: 'completed', of: 'step', within: '1h', status: 'done' }, ctx).found).toMatch(
      /SN-y4: failed after 0\.0 min$/,
    );
  });

  it('propagation with exactly five slow devices names them all, with no "+0 more"', () => {
    const acks = [1, 20, 21, 22, 23, 24].map((m, i) => action(`s${i}`, { acknowledgedAtMs: T0 + m * MIN }));
    expect(run({ expect: 'propagation', of: 'step', percentile: 10, below: '3m' }, context(acks)).found).toBe(
      'p10 = 1.0 min over 6 devices; slower than 3m: SN-s1: 20.0 min; SN-s2: 21.0 min; SN-s3: 22.0 min; SN-s4: 23.0 min; SN-s5: 24.0 min',
    );
  });

  it('record: a listed record is the current one even when an unlisted one came after it', () => {
    const ctx = context([], {
      records: [
        { id: 'kept', serial: 'SN-1', listed: true, managementState: 'managed' },
        { id: 'later', serial: 'SN-1', listed: false, managementState: 'retirePending' },
      ],
      first: { 'SN-1': 'kept' },
    });
    expect(run({ expect: 'record', at: '1h', target: 'all', listed: true }, ctx)).toMatchObject({
      passed: true,
      found: 'all 1 as expected',
    });
    expect(run({ expect: 'record', at: '1h', target: 'all', sameRecord: false }, ctx).found).toBe(
      '0 of 1 as expected; SN-1: listed, managed, the first record',
    );
  });

  it('propagation sorts the times itself and names no slow device when there is none', () => {
    const acks = [9, 1, 5].map((m, i) => action(`q${i}`, { acknowledgedAtMs: T0 + m * MIN }));
    expect(
      run({ expect: 'propagation', of: 'step', percentile: 34, below: '10m' }, context(acks)),
    ).toMatchObject({
      passed: true,
      found: 'p34 = 5.0 min over 3 devices',
      failingDevices: [],
    });
  });

  it('state: several misses on one device are listed together', () => {
    const ctx = context([], {
      records: [{ id: 'r1', serial: 'SN-1', listed: true, managementState: 'managed' }],
      states: { 'SN-1': { boot: 'normal', power: 'on' } },
    });
    expect(
      run(
        { expect: 'state', at: '1h', target: 'all', facts: { 'state.boot': 'setup', 'state.power': 'off' } },
        ctx,
      ).found,
    ).toBe('0 of 1 as expected; SN-1: state.boot = "normal", state.power = "on"');
  });

  it('record: a device with no record at all is not listed and neither a new nor the same record', () => {
    const ctx = context([], {
      records: [{ id: 'r1', serial: 'SN-1', listed: true, managementState: 'managed' }],
      first: { 'SN-1': 'r1', 'SN-9': 'r9' },
    });
    const withGhost = {
      ...ctx,
      devicesOf: () => [
        { serialNumber: 'SN-1', credentials: null },
        { serialNumber: 'SN-9', credentials: null },
      ],
    } as unknown as RunContext;
    expect(run({ expect: 'record', at: '1h', target: 'all', sameRecord: true }, withGhost)).toMatchObject({
      found: '1 of 2 as expected; SN-9: not listed, no record',
      failingDevices: ['SN-9'],
    });
    expect(run({ expect: 'record', at: '1h', target: 'all', newRecord: false }, withGhost).passed).toBe(true);
  });
});
