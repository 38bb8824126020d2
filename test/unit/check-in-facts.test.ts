import { describe, expect, it } from 'vitest';
import { factsOf } from '../../agent/model/facts.ts';
import type { DeviceFacts } from '../../sim/wire/schemas.ts';
import { serviceCore } from '../helpers/service-core.ts';

/** The service's record of a device keeps the facts the device last reported at check-in. */
describe("a check-in's facts on the service's record", () => {
  function enrolled() {
    const core = serviceCore();
    const [d] = core.devices({ platform: 'windows10', count: 1, osVersion: '22H2' });
    const e = core.enroll(d!, 'enroll-d-0');
    const facts = factsOf(d!.state);
    const record = () => core.service.devices.get(e.managedDeviceId)!;
    const checkIn = (f: DeviceFacts) =>
      core.up(e.channelId, { type: 'checkIn', reason: 'schedule', facts: f });
    return { facts, record, checkIn };
  }

  it('equal facts leave the record its own copy; any difference replaces it', () => {
    const { facts, record, checkIn } = enrolled();
    checkIn(structuredClone(facts));
    const kept = record().facts;
    checkIn(structuredClone(facts));
    expect(record().facts).toBe(kept);

    const changes: Partial<DeviceFacts>[] = [
      { boot: 'recoveryEnvironment' },
      { apps: facts.apps + 1 },
      { policyIds: [...facts.policyIds, 'policy-extra'] },
      { policyIds: [...facts.policyIds.slice(1), facts.policyIds[0]!] },
      { appKinds: [] },
      { enrolled: false },
    ];
    for (const change of changes) {
      const next = { ...structuredClone(facts), ...change };
      checkIn(next);
      expect(record().facts).toEqual(next);
      checkIn(structuredClone(facts));
      expect(record().facts).toEqual(facts);
    }
  });

  it('a fact missing from the message, or one more than the record has, is a difference', () => {
    const { facts, record, checkIn } = enrolled();
    const { workProfile: _w, ...fewer } = facts;
    checkIn(fewer as DeviceFacts);
    expect(Object.keys(record().facts)).toEqual(Object.keys(fewer));
    checkIn(structuredClone(facts));
    expect(record().facts).toEqual(facts);
  });
});
