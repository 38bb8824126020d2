import { describe, expect, it, vi } from 'vitest';
import { factsOf } from '../../agent/model/facts.ts';
import { Registry } from '../../broker/service/registry.ts';
import type { SenderMemo } from '../../broker/service/types.ts';
import { DAY_MS } from '../../sim/time-units.ts';
import { serviceCore } from '../helpers/service-core.ts';

/**
 * What the service remembers of a sender between its messages (broker/service/service.ts,
 * handleDeviceMessage): its channel and device records, looked up once, used while current.
 */
function enrolled() {
  const core = serviceCore();
  const [d] = core.devices({ platform: 'windows10', osVersion: '22H2', count: 1 });
  const e = core.enroll(d!, 'enroll-d-0');
  const facts = factsOf(d!.state);
  const checkIn = (memo: SenderMemo | null) =>
    core.service.handleDeviceMessage(
      e.channelId,
      { v: 2, seq: 0, sentAtMs: core.clock.now(), type: 'checkIn', reason: 'schedule', facts },
      memo,
    );
  return { core, e, checkIn };
}

describe("the service's memo of a sender", () => {
  it('is filled at the first check-in and then used: no lookup by id, the same records changed', async () => {
    const { core, e, checkIn } = enrolled();
    const memo: SenderMemo = { channel: null, device: null };
    checkIn(memo);
    const device = core.service.devices.get(e.managedDeviceId)!;
    expect(memo.channel).toBe(core.service.channels.get(e.channelId));
    expect(memo.device).toBe(device);
    const byId = [vi.spyOn(Registry.prototype, 'channel'), vi.spyOn(Registry.prototype, 'device')];
    try {
      await core.clock.advanceBy(60_000);
      checkIn(memo);
      for (const spy of byId) expect(spy).not.toHaveBeenCalled();
      expect(device.lastSyncAtMs).toBe(core.clock.now());
      expect(core.log.ofType('device.checkIn')).toHaveLength(2);
    } finally {
      for (const spy of byId) spy.mockRestore();
    }
  });

  it('is not trusted for another channel: the right one is looked up and remembered', () => {
    const { core, e, checkIn } = enrolled();
    const stranger = { ...core.service.channels.get(e.channelId)!, id: 'channel-of-someone-else' };
    const memo: SenderMemo = { channel: stranger, device: null };
    checkIn(memo);
    expect(memo.channel).toBe(core.service.channels.get(e.channelId));
    expect(core.log.ofType('device.checkIn')).toHaveLength(1);
  });

  it('follows the channel to the new record when a cleaned-up device reappears (D-4)', async () => {
    const { core, e, checkIn } = enrolled();
    core.service.start();
    const memo: SenderMemo = { channel: null, device: null };
    checkIn(memo);
    const old = memo.device!;
    core.service.setCleanupDays(30);
    await core.clock.advanceBy(31 * DAY_MS);
    expect(old.removedWhy).toBe('cleanup');
    checkIn(memo);
    const fresh = core.service.devices.get(core.service.channels.get(e.channelId)!.deviceId)!;
    expect(fresh.id).not.toBe(old.id);
    expect(memo.device).toBe(fresh);
    checkIn(memo);
    // Once: the memo's record is the new one, not the removed one that would reappear again.
    expect(core.log.ofType('device.reappeared')).toHaveLength(1);
    expect(fresh.lastSyncAtMs).toBe(core.clock.now());
  });

  it('does not use a record its channel no longer points at (the device reappeared meanwhile)', async () => {
    const { core, e, checkIn } = enrolled();
    core.service.start();
    const memo: SenderMemo = { channel: null, device: null };
    checkIn(memo);
    const old = memo.device!;
    core.service.setCleanupDays(30);
    await core.clock.advanceBy(31 * DAY_MS);
    checkIn(null); // handled without this memo: it still holds the removed record
    expect(memo.device).toBe(old);
    checkIn(memo);
    expect(memo.device).toBe(core.service.devices.get(core.service.channels.get(e.channelId)!.deviceId));
    expect(memo.device).not.toBe(old);
    expect(core.log.ofType('device.reappeared')).toHaveLength(1);
  });
});
