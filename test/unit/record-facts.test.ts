import { describe, expect, it } from 'vitest';
import { factsOf } from '../../agent/model/facts.ts';
import { recordFacts } from '../../scenarios/engine/record-facts.ts';
import { serviceCore } from '../helpers/service-core.ts';

/** The record as `record.…` paths see it: the service's record, delete pending, the channel's expiry. */
describe('record facts', () => {
  const core = serviceCore();
  const [d] = core.devices({ platform: 'windows10', count: 1, osVersion: '22H2' });
  const e = core.enroll(d!, 'enroll-d-0');
  core.up(e.channelId, { type: 'checkIn', reason: 'enrolled', facts: factsOf(d!.state) });
  const record = () => core.service.devices.get(e.managedDeviceId);

  it('no record: nothing, so every record path is absent', () => {
    expect(recordFacts(undefined, core.service.channels.get(e.channelId))).toBeUndefined();
  });

  it("the record's fields, with the channel's certificate expiry; none without a channel", () => {
    const channel = core.service.channels.get(e.channelId)!;
    expect(recordFacts(record(), channel)).toEqual({
      ...record(),
      deletePending: false,
      certificateExpiresAtMs: channel.certificateExpiresAtMs,
    });
    expect(recordFacts(record(), undefined)?.certificateExpiresAtMs).toBeUndefined();
  });

  it('delete pending while the removal is on its way (D-1)', () => {
    const deleted = core.service.requestAction(
      e.managedDeviceId,
      { action: 'delete' },
      { userPrincipalName: 'a@b', source: 'admin' },
    );
    expect(deleted.ok).toBe(true);
    expect(record()?.managementState).toBe('deletePending');
    expect(recordFacts(record(), undefined)?.deletePending).toBe(true);
  });
});
