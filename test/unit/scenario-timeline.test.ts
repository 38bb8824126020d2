import { expect, it } from 'vitest';
import type { Emulator } from '../../emulator/emulator.ts';
import { deviceTimelines } from '../../scenarios/engine/timeline.ts';
import { EventLog, type FleetEventBody } from '../../sim/events.ts';

it("each device's timeline: its events by serial number, routine check-ins left out, details as key=value", () => {
  const at = Date.UTC(2026, 0, 5);
  const events = [
    {
      type: 'device.enrolled',
      deviceId: 'd1',
      channelId: 'c1',
      serialNumber: 'SN1',
      platform: 'ios',
      automatic: false,
    },
    { type: 'device.checkIn', deviceId: 'd1', reason: 'push' },
    { type: 'agent.checkIn', serialNumber: 'SN1' },
    { type: 'push.sent', deviceId: 'd1', channel: 'APNs', attempt: 1 },
    { type: 'action.completed', deviceId: 'd1', actionId: 'a1', status: 'done', rules: ['R-1'] },
    { type: 'device.managementState', deviceId: 'd2', from: 'managed', to: 'retireIssued' },
    { type: 'device.removed', deviceId: 'unknown', why: 'delete' }, // no such record: no serial, left out
    { type: 'push.channel', channel: 'APNs', up: false }, // no device: left out
    { type: 'device.reappeared', deviceId: 'd1', previousId: 'd0', specId: 'D-4' },
    { type: 'abm.assignment', serialNumber: 'SN3' }, // nothing else to say
  ];
  // A real log: routine check-ins and pushes are held apart from a device's story.
  let now = at;
  const log = new EventLog(() => now);
  events.forEach((e, i) => {
    now = at + i * 1000;
    log.append(e as unknown as FleetEventBody);
  });
  const emulator = {
    service: {
      devices: new Map([
        ['d1', { id: 'd1', identity: { serialNumber: 'SN1' } }],
        ['d2', { id: 'd2', identity: { serialNumber: 'SN2' } }],
      ]),
    },
    log,
  } as unknown as Emulator;
  expect(deviceTimelines(emulator)).toEqual({
    SN1: [
      { at: '2026-01-05T00:00:00.000Z', event: 'device.enrolled channelId=c1 platform=ios automatic=false' },
      { at: '2026-01-05T00:00:04.000Z', event: 'action.completed actionId=a1 status=done rules=["R-1"]' },
      { at: '2026-01-05T00:00:08.000Z', event: 'device.reappeared previousId=d0 specId=D-4' },
    ],
    SN2: [{ at: '2026-01-05T00:00:05.000Z', event: 'device.managementState from=managed to=retireIssued' }],
    SN3: [{ at: '2026-01-05T00:00:09.000Z', event: 'abm.assignment' }],
  });
});
