import { describe, expect, it } from 'vitest';
import { EventLog, type FleetEvent, type FleetEventBody } from '../../sim/events.ts';

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

  it('holds the newest routine events exactly, as it grows and wraps round, each read back as it was heard', () => {
    let now = 1_000;
    const log = new EventLog(() => now, 100, 3_000);
    const heard: FleetEvent[] = [];
    log.on((e) => heard.push(e));
    const bodies: FleetEventBody[] = [];
    for (let i = 0; i < 10_000; i++) {
      const body: FleetEventBody =
        i % 3 === 0
          ? { type: 'device.checkIn', deviceId: `d${i}`, reason: 'scheduled', dueAtMs: 1_700_000_000_000 + i }
          : i % 3 === 1
            ? { type: 'agent.checkIn', serialNumber: `s${i}`, reason: 'push' }
            : { type: 'push.sent', deviceId: `d${i}`, channel: 'APNs', attempt: i % 5 };
      bodies.push(body);
      log.append(body);
      now += 7;
    }
    expect(log.stats()).toEqual({ held: 3_000, dropped: 7_000, capacity: 3_100 });
    const held = log.all();
    expect(held).toHaveLength(3_000);
    // The newest 3,000, every field as appended, in the order the object spread gave them before.
    held.forEach((e, k) => {
      const i = 7_000 + k;
      expect(JSON.stringify(e)).toBe(JSON.stringify({ ...bodies[i], atMs: 1_000 + 7 * i, seq: i }));
    });
    expect(heard).toHaveLength(10_000);
    expect(heard.slice(7_000)).toEqual(held);
    expect(log.ofType('push.sent')).toEqual(held.filter((e) => e.type === 'push.sent'));
    expect(log.ofType('agent.checkIn').at(-1)).toEqual({
      type: 'agent.checkIn',
      serialNumber: 's9997',
      reason: 'push',
      atMs: 1_000 + 7 * 9_997,
      seq: 9_997,
    });
  });

  it('a log with no room for routine events counts every one dropped', () => {
    const log = new EventLog(() => 0, 0);
    log.append({ type: 'agent.checkIn', serialNumber: 's1', reason: 'scheduled' });
    expect(log.stats()).toMatchObject({ held: 0, dropped: 1 });
    expect(log.all()).toEqual([]);
  });
});
