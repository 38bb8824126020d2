import { describe, expect, it } from 'vitest';
import type { Device, Transition } from '../../agent/model/commands.ts';
import { labelChanges, type SentAction } from '../../dashboard/src/logic/rule-attribution.ts';
import { deleteRemovalCommand } from '../../sim/delete-removal.ts';
import { PLATFORM_IDS } from '../../sim/platforms/types.ts';
import { expectDone, freshStart, makeDevice, retire, run, wipe } from '../helpers/devices.ts';

/**
 * The device drawer's per-change rule labels, against the real model: for each platform and action
 * the model completes, every change in the diff is labelled, only with rules the model reported.
 */

const sent = (kind: SentAction['kind'], keep = false): SentAction => ({
  kind,
  wipe: { keepEnrollmentAndUser: keep, continueOnPowerLoss: false },
  freshStartKeepUserData: keep,
});

const ACTIONS: { name: string; sent: SentAction; perform: (d: Device) => Transition }[] = [
  { name: 'retire', sent: sent('retire'), perform: retire },
  { name: 'wipe', sent: sent('wipe'), perform: (d) => wipe(d) },
  {
    name: 'wipe keeping enrollment and user',
    sent: sent('wipe', true),
    perform: (d) => wipe(d, { keepEnrollmentData: true, keepUserData: true }),
  },
  { name: 'Fresh Start', sent: sent('freshStart'), perform: (d) => freshStart(d, false) },
  {
    name: 'Fresh Start keeping user data',
    sent: sent('freshStart', true),
    perform: (d) => freshStart(d, true),
  },
  { name: 'delete', sent: sent('delete'), perform: (d) => run(d, deleteRemovalCommand(d.identity, 'del-1')) },
];

describe('rule labels on the last action’s changes', () => {
  it('label every change of every action the model completes, on every platform, with rules it reported', () => {
    let checked = 0;
    for (const platform of PLATFORM_IDS) {
      const device = makeDevice(platform);
      for (const a of ACTIONS) {
        const t = a.perform(device);
        if (t.outcome?.status !== 'done') continue; // not available there (the eligibility table refuses it)
        const rules = expectDone(t);
        const changes = labelChanges(a.sent, device.identity, device.state, t.state, rules);
        expect(changes.length, `${platform} ${a.name}`).toBeGreaterThan(0);
        for (const c of changes) {
          expect(c.rules, `${platform} ${a.name}: ${c.section} ${c.change} ${c.item}`).not.toEqual([]);
          for (const r of c.rules) expect(rules, `${platform} ${a.name}`).toContain(r);
        }
        checked++;
      }
    }
    // 12 platforms retire or delete and wipe; Windows 10 adds its reset variants.
    expect(checked).toBeGreaterThanOrEqual(30);
  });

  it('names the row that made each change (iOS retire: Wi-Fi/VPN R-IOS-4, certificates R-IOS-5)', () => {
    const device = makeDevice('ios');
    const t = retire(device);
    const changes = labelChanges(sent('retire'), device.identity, device.state, t.state, expectDone(t));
    const rulesOf = (section: string) => [
      ...new Set(changes.filter((c) => c.section === section).flatMap((c) => c.rules)),
    ];
    expect(rulesOf('networkProfiles')).toEqual(['R-IOS-4']);
    expect(rulesOf('certificates')).toEqual(['R-IOS-5']);
  });

  it('labels nothing with a rule the device did not report, nor a change the action did not make', () => {
    const device = makeDevice('ios');
    const t = retire(device);
    const reported = expectDone(t).filter((r) => r !== 'R-IOS-4');
    const after = { ...t.state, power: 'off' as const };
    const changes = labelChanges(sent('retire'), device.identity, device.state, after, reported);
    expect(changes.filter((c) => c.section === 'networkProfiles').map((c) => c.rules)).toEqual(
      changes.filter((c) => c.section === 'networkProfiles').map(() => []),
    );
    expect(changes.find((c) => c.section === 'power')).toEqual({
      key: 'power',
      section: 'power',
      item: 'on → off',
      change: 'changed',
      rules: [],
    });
    expect(
      labelChanges(sent('retire'), device.identity, device.state, t.state, []).flatMap((c) => c.rules),
    ).toEqual([]);
  });

  it('a sync has no effect table: its changes carry no rule', () => {
    const device = makeDevice('windows10');
    const after = { ...device.state, power: 'off' as const };
    expect(labelChanges(sent('sync'), device.identity, device.state, after, ['S-6'])).toEqual([
      { key: 'power', section: 'power', item: 'on → off', change: 'changed', rules: [] },
    ]);
  });
});
