import { describe, expect, it } from 'vitest';
import { EventLog } from '../../sim/events.ts';

describe('the event log in memory', () => {
  it('keeps at most a quarter over its capacity, counts what it dropped, and listeners saw every event', () => {
    const log = new EventLog(() => 0, 100);
    let heard = 0;
    log.on(() => heard++);
    for (let i = 0; i < 1_000; i++) log.append({ type: 'cleanup.settings', days: i });
    const { held, dropped, capacity } = log.stats();
    expect(capacity).toBe(100);
    expect(held).toBeLessThanOrEqual(125);
    expect(held + dropped).toBe(1_000);
    expect(heard).toBe(1_000);
    // The newest are the ones kept.
    expect(log.all().at(-1)).toMatchObject({ days: 999, seq: 999 });
    expect(log.all()[0]!.seq).toBe(dropped);
  });
});
