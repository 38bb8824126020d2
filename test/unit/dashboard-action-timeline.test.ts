import { describe, expect, it } from 'vitest';
import { ActionTracker, layoutTimeline } from '../../dashboard/src/logic/action-timeline.ts';
import type { FleetEvent } from '../../sim/events.ts';

/** The propagation timeline's view logic, without a browser: each action's stages from the event stream. */

const MIN = 60_000;
let seq = 0;
const ev = (atMs: number, body: Record<string, unknown>) =>
  ({ atMs, seq: seq++, deviceId: 'd1', action: 'wipe', ...body }) as unknown as FleetEvent;
const requested = (actionId: string, atMs: number, deviceId = 'd1') =>
  ev(atMs, {
    type: 'action.requested',
    actionId,
    deviceId,
    options: {},
    initiatedBy: 'admin',
    source: 'admin',
  });

describe('ActionTracker', () => {
  it('follows an action from request to delivery, acknowledgement and completion, keeping the first delivery', () => {
    const t = new ActionTracker();
    t.apply(requested('a1', 0));
    t.apply(ev(2 * MIN, { type: 'action.delivered', actionId: 'a1' }));
    t.apply(ev(3 * MIN, { type: 'action.delivered', actionId: 'a1' }));
    t.apply(ev(4 * MIN, { type: 'action.acknowledged', actionId: 'a1', propagationMs: 4 * MIN }));
    t.apply(ev(40 * MIN, { type: 'action.completed', actionId: 'a1', status: 'done', rules: ['W-1'] }));
    t.apply(ev(41 * MIN, { type: 'action.delivered', actionId: 'unknown' }));
    expect(t.recent(10)).toEqual([
      {
        actionId: 'a1',
        deviceId: 'd1',
        action: 'wipe',
        requestedAtMs: 0,
        deliveredAtMs: 2 * MIN,
        acknowledgedAtMs: 4 * MIN,
        completedAtMs: 40 * MIN,
        status: 'done',
      },
    ]);
  });

  it('gives the most recent actions, oldest first, and forgets past 500', () => {
    const t = new ActionTracker();
    for (let i = 0; i < 502; i++) t.apply(requested(`a${i}`, i));
    expect(t.recent(3).map((a) => a.actionId)).toEqual(['a499', 'a500', 'a501']);
    expect(t.recent(1000)).toHaveLength(500);
    expect(t.recent(1000)[0]!.actionId).toBe('a2');
  });
});

describe('layoutTimeline', () => {
  const times = (over: Partial<Parameters<typeof layoutTimeline>[0][number]>) => ({
    actionId: 'a',
    deviceId: 'd',
    action: 'retire',
    requestedAtMs: 100 * MIN,
    deliveredAtMs: null,
    acknowledgedAtMs: null,
    completedAtMs: null,
    status: null,
    ...over,
  });

  it('places every stage from its own request, the 15-minute line at the same x for all, on at least 30 minutes', () => {
    const fast = times({ deliveredAtMs: 103 * MIN, acknowledgedAtMs: 106 * MIN, completedAtMs: 112 * MIN });
    const layout = layoutTimeline([fast], 115 * MIN, 300);
    expect(layout.spanMs).toBe(30 * MIN);
    expect(layout.limitX).toBe(150);
    expect(layout.rows[0]).toMatchObject({
      deliveredX: 30,
      acknowledgedX: 60,
      completedX: 120,
      endX: 120,
      late: false,
      clipped: false,
    });
  });

  it('an action acknowledged after 15 minutes is late; one still on its way runs to now, late once past the line', () => {
    const slow = times({ deliveredAtMs: 120 * MIN, acknowledgedAtMs: 120 * MIN });
    const waiting = times({ requestedAtMs: 110 * MIN });
    const young = times({ requestedAtMs: 125 * MIN });
    const layout = layoutTimeline([slow, waiting, young], 130 * MIN, 300);
    expect(layout.spanMs).toBe(30 * MIN);
    expect(layout.rows.map((r) => [r.acknowledgedX, r.endX, r.late])).toEqual([
      [200, 300, true],
      [null, 200, true],
      [null, 50, false],
    ]);
  });

  it('stretches to the longest action up to 4 hours, and clips what goes beyond', () => {
    const wipe = times({ acknowledgedAtMs: 105 * MIN, completedAtMs: 160 * MIN });
    expect(layoutTimeline([wipe], 200 * MIN, 600).spanMs).toBe(60 * MIN);
    const stuck = times({ requestedAtMs: 0 });
    const layout = layoutTimeline([wipe, stuck], 10 * 3600_000, 480);
    expect(layout.spanMs).toBe(4 * 3600_000);
    expect(layout.limitX).toBe(30);
    expect(layout.rows.map((r) => [r.endX, r.clipped])).toEqual([
      [120, false],
      [480, true],
    ]);
  });
});
