import { describe, expect, it } from 'vitest';
import { EventLog } from '../../sim/events.ts';

describe('the event log in memory', () => {
  it('keeps at most a quarter over its capacity, counts what it dropped, and listeners saw every event', () => {
    const log = new EventLog(() => 0, 100, 10);
    let heard = 0;
    log.on(() => heard++);
    for (let i = 0; i < 1_000; i++) log.append({ type: 'cleanup.settings', days: i });
    const { held, dropped, capacity } = log.stats();
    expect(capacity).toBe(110);
    expect(held).toBeLessThanOrEqual(125);
    expect(held + dropped).toBe(1_000);
    expect(log.storyDropped()).toBe(dropped);
    expect(heard).toBe(1_000);
    // The newest are the ones kept.
    expect(log.all().at(-1)).toMatchObject({ days: 999, seq: 999 });
    expect(log.all()[0]!.seq).toBe(dropped);
  });

  it('holds routine check-ins and pushes apart: however many come, they push no other event out', () => {
    const log = new EventLog(() => 0, 100, 10);
    log.append({ type: 'device.deletePending', deviceId: 'd1', specId: 'D-1' });
    for (let i = 0; i < 500; i++) {
      log.append({ type: 'device.checkIn', deviceId: 'd1', reason: 'scheduled', dueAtMs: i });
      log.append({ type: 'agent.checkIn', serialNumber: 's1', reason: 'scheduled' });
      log.append({ type: 'push.sent', deviceId: 'd1', channel: 'WNS', attempt: 1 });
    }
    log.append({ type: 'device.removed', deviceId: 'd1', why: 'delete', specId: 'D-1' });
    expect(log.storyEvents().map((e) => e.type)).toEqual(['device.deletePending', 'device.removed']);
    expect(log.storyDropped()).toBe(0);
    const { held, dropped } = log.stats();
    expect(held).toBeLessThanOrEqual(2 + 12);
    expect(held + dropped).toBe(1_502);
    // Everything held comes back in order, the two kinds merged.
    const seqs = log.all().map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(log.all()[0]).toMatchObject({ type: 'device.deletePending', seq: 0 });
    expect(log.all().at(-1)).toMatchObject({ type: 'device.removed', seq: 1_501 });
    expect(log.all()).toHaveLength(held);
    expect(log.ofType('device.checkIn').at(-1)).toMatchObject({ dueAtMs: 499 });
    expect(log.ofType('device.removed')).toHaveLength(1);
    // A selection is filtered from each kind and merged in order, as all() would give it.
    const kept = (e: { type: string }) => e.type !== 'agent.checkIn';
    expect(log.select(kept)).toEqual(log.all().filter(kept));
    expect(log.select(kept).map((e) => e.type)).toContain('device.removed');
  });
});
