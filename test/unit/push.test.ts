import { describe, expect, it } from 'vitest';
import { factsOf } from '../../agent/model/facts.ts';
import { PUSH_RETRIES, PUSH_RETRY_INTERVAL_MS } from '../../broker/service/push.ts';
import { ADMIN } from '../helpers/admin.ts';
import { serviceCore } from '../helpers/service-core.ts';

/** One enrolled Windows 10 PC (WNS) on the service core. */
function onePc() {
  const core = serviceCore();
  const [d] = core.devices({ platform: 'windows10', count: 1, osVersion: '22H2' });
  const e = core.enroll(d!, 'enroll-d-0');
  return { core, e, facts: factsOf(d!.state) };
}

const attempts = (core: ReturnType<typeof serviceCore>, type: 'push.sent' | 'push.suppressed') =>
  core.log.ofType(type).map((p) => ({ ...p, atMs: p.atMs - core.log.ofType('action.requested')[0]!.atMs }));

describe('S-4: push notifications', () => {
  it('notifies at once, then three more times 5 minutes apart, on the platform channel, and then stops', async () => {
    const { core, e } = onePc();
    expect(PUSH_RETRIES).toBe(3);
    expect(PUSH_RETRY_INTERVAL_MS).toBe(5 * 60_000);
    core.service.requestAction(e.managedDeviceId, { action: 'sync' }, ADMIN);
    expect(core.sentTo(e.channelId, 'notify')).toEqual([{ type: 'notify', channel: 'WNS' }]);
    await core.clock.advanceBy(60 * 60_000);
    expect(attempts(core, 'push.sent').map((p) => [p.atMs, p.attempt, p.channel, p.deviceId])).toEqual([
      [0, 1, 'WNS', e.managedDeviceId],
      [5 * 60_000, 2, 'WNS', e.managedDeviceId],
      [10 * 60_000, 3, 'WNS', e.managedDeviceId],
      [15 * 60_000, 4, 'WNS', e.managedDeviceId],
    ]);
    expect(core.sentTo(e.channelId, 'notify')).toHaveLength(4);
    // Done with this action's notifications: the next action is notified afresh.
    core.service.requestAction(e.managedDeviceId, { action: 'retire' }, ADMIN);
    expect(core.log.ofType('push.sent').at(-1)).toMatchObject({ attempt: 1 });
  });

  it('a check-in answers the notification: no retries follow; a second action while one is pending is covered by it', async () => {
    const { core, e, facts } = onePc();
    core.service.requestAction(e.managedDeviceId, { action: 'sync' }, ADMIN);
    core.service.requestAction(e.managedDeviceId, { action: 'retire' }, ADMIN);
    expect(core.log.ofType('push.sent')).toHaveLength(1);
    core.up(e.channelId, { type: 'checkIn', reason: 'push', facts });
    await core.clock.advanceBy(60 * 60_000);
    expect(core.log.ofType('push.sent')).toHaveLength(1);
  });

  it('a channel that is down delivers nothing but keeps the attempts (suppressed); it is logged once per change', async () => {
    const { core, e } = onePc();
    core.service.setPushChannel('WNS', false);
    core.service.setPushChannel('WNS', false); // no change: nothing logged
    core.service.setPushChannel('APNs', false);
    expect(core.service.push.channelsDown).toEqual(['APNs', 'WNS']);
    expect(core.log.ofType('push.channel').map((p) => [p.channel, p.up])).toEqual([
      ['WNS', false],
      ['APNs', false],
    ]);
    core.service.requestAction(e.managedDeviceId, { action: 'sync' }, ADMIN);
    await core.clock.advanceBy(60 * 60_000);
    expect(core.sentTo(e.channelId, 'notify')).toEqual([]);
    expect(attempts(core, 'push.suppressed').map((p) => [p.atMs, p.attempt, p.channel])).toEqual([
      [0, 1, 'WNS'],
      [5 * 60_000, 2, 'WNS'],
      [10 * 60_000, 3, 'WNS'],
      [15 * 60_000, 4, 'WNS'],
    ]);
    core.service.setPushChannel('WNS', true);
    core.service.setPushChannel('WNS', true);
    expect(core.service.push.channelsDown).toEqual(['APNs']);
    expect(core.log.ofType('push.channel')).toHaveLength(3);
    core.service.requestAction(e.managedDeviceId, { action: 'retire' }, ADMIN);
    expect(core.sentTo(e.channelId, 'notify')).toEqual([{ type: 'notify', channel: 'WNS' }]);
  });
});
