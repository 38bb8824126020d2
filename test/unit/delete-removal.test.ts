import { describe, expect, it } from 'vitest';
import { deleteRemovalCommand } from '../../agent/model/delete-removal.ts';
import { PLATFORM_IDS } from '../../sim/platforms/types.ts';
import { expectDone, makeDevice, run } from '../helpers/devices.ts';

/** D-1 (the device's part): the removal a deleted device receives at its next check-in. */
describe('D-1: a deleted device has its company data removed at the next check-in', () => {
  const wiped = ['androidDedicated', 'androidFullyManaged', 'androidCorporateWorkProfile'];

  it.each(PLATFORM_IDS)('%s', (platform) => {
    const device = makeDevice(platform, {
      enrollmentType: platform === 'ios' ? 'appleUserEnrollment' : undefined,
    });
    const command = deleteRemovalCommand(device.identity, 'delete-1');
    expect(command.type).toBe(wiped.includes(platform) ? 'wipe' : 'retire');
    const t = run(device, command);
    const rules = expectDone(t);
    // Whatever the route, the device ends out of management with no Intune policies.
    expect(t.state.management.enrolled).toBe(false);
    expect(t.state.management.policies).toEqual([]);
    expect(rules).toContain(wiped.includes(platform) ? 'W-1' : 'R-1');
  });
});

describe('S-6: sync', () => {
  it.each(PLATFORM_IDS)('%s: a sync is done at once and changes nothing on the device', (platform) => {
    const device = makeDevice(platform);
    const t = run(device, { id: 'sync-1', type: 'sync' });
    expect(t.outcome).toEqual({ status: 'done', commandId: 'sync-1', rules: [] });
    expect(t.state).toBe(device.state);
  });
});
