import { describe, expect, it } from 'vitest';
import { ServiceLink } from '../../broker/mqtt/service-link.ts';
import { VirtualClock } from '../../sim/clock/virtual-clock.ts';
import { EventLog } from '../../sim/events.ts';
import { deviceUpTopic } from '../../sim/wire/topics.ts';
import { startVirtualFleet } from '../helpers/virtual-fleet.ts';

type Waiting = Map<string, { count: number; gone: boolean }>;
/** The link's private bookkeeping, reached the way a test may: messages waiting, per sender. */
const waitingOf = (link: ServiceLink): Map<string, number> =>
  new Map([...(link as unknown as { waiting: Waiting }).waiting].map(([sender, w]) => [sender, w.count]));

function linkKeeping(sendersKept: number) {
  const clock = new VirtualClock(0);
  const link = new ServiceLink(clock, new EventLog(() => clock.now()), null, () => {}, null, sendersKept);
  const waiting = () => waitingOf(link);
  type Held = { count: number; gone: boolean };
  const inside = link as unknown as {
    later(t: string, s: string, m: object, h: () => void, k: boolean, held?: Held): void;
    waitingOf(sender: string): Held;
  };
  const later = (sender: string, seq: number, handle: () => void, keep = true, held?: Held) =>
    inside.later(deviceUpTopic(sender), sender, { seq, sentAtMs: clock.now() }, handle, keep, held);
  /** The count a device's connection holds from the moment it connects (ServiceLink.deviceSender). */
  const heldBy = (sender: string) => inside.waitingOf(sender);
  return { clock, waiting, later, heldBy };
}

describe('the messages a sender has waiting (broker/mqtt/service-link.ts)', () => {
  it("keeps a sender's count at zero between its messages, up to its bound of senders, and drops the rest", async () => {
    const { clock, waiting, later } = linkKeeping(3);
    const handled: string[] = [];
    for (const [i, sender] of ['a', 'b', 'c', 'd', 'e'].entries())
      later(sender, i, () => handled.push(sender));
    later('a', 9, () => handled.push('a again'));
    expect([...waiting()]).toEqual([
      ['a', 2],
      ['b', 1],
      ['c', 1],
      ['d', 1],
      ['e', 1],
    ]);
    await clock.advanceBy(1_000);
    expect(handled).toEqual(['a', 'a again', 'b', 'c', 'd', 'e']);
    // A sender's last message let its entry go while the map was past its bound (a, then b).
    expect([...waiting()]).toEqual([
      ['c', 0],
      ['d', 0],
      ['e', 0],
    ]);
    later('d', 10, () => handled.push('d again'));
    expect(waiting().get('d')).toBe(1);
    await clock.advanceBy(1_000);
    expect(waiting().get('d'), 'within the bound: kept at zero').toBe(0);
  });

  it("counts a connection's messages on the count it holds while the map holds it too, and never once the map let go", async () => {
    const { clock, waiting, later, heldBy } = linkKeeping(0);
    const held = heldBy('a');
    later('a', 1, () => {}, true, held);
    later('a', 2, () => {}, true, held);
    expect(held.count).toBe(2);
    expect(waiting().get('a'), 'the same count').toBe(2);
    await clock.advanceBy(1_000);
    // Past its bound of senders (0 here), the map let go of the count at zero.
    expect(waiting().has('a')).toBe(false);
    expect(held.gone).toBe(true);
    later('a', 3, () => {}, true, held);
    expect(held.count, 'a count no longer bounding anything').toBe(0);
    expect(waiting().get('a')).toBe(1);
  });

  it("lets an enrollment's entry go with its message: its id does not come again", async () => {
    const { clock, waiting, later } = linkKeeping(100);
    later('device', 1, () => {});
    later('enroll-1', 2, () => {}, false);
    expect(waiting().size).toBe(2);
    await clock.advanceBy(1_000);
    expect([...waiting()]).toEqual([['device', 0]]);
  });

  it("keeps, after a fleet enrolled and checked in, its devices' entries and no enrollment's", async () => {
    const fleet = await startVirtualFleet({ seed: 'waiting', cohorts: [{ platform: 'ios', count: 3 }] });
    try {
      const waiting = waitingOf(fleet.server.link);
      // A device sends on its channel's topic: the channel id is the sender.
      const channels = fleet.runner.all().map((a) => a.credentials!.channelId);
      expect([...waiting.keys()].sort()).toEqual([...channels].sort());
      expect([...waiting.values()]).toEqual([0, 0, 0]);
    } finally {
      await fleet.close();
    }
  });
});
