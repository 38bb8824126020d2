import { describe, expect, it } from 'vitest';
import { actionCall, notActionable, readRefusal } from '../../dashboard/src/logic/actions.ts';
import { eventText } from '../../dashboard/src/logic/event-text.ts';
import { FleetStore, type SimFleetDevice } from '../../dashboard/src/logic/fleet-store.ts';
import {
  groupRows,
  layoutTiles,
  matchesFilter,
  NO_FILTER,
  TILE,
  tileAt,
} from '../../dashboard/src/logic/fleet-view.ts';
import { propagationHistogram } from '../../dashboard/src/logic/histogram.ts';
import { diffStates } from '../../dashboard/src/logic/state-diff.ts';
import type { FleetEvent } from '../../sim/events.ts';

/** The dashboard's view logic, without a browser: what the page shows follows from data and events. */

const sim = (serial: string, over: Partial<SimFleetDevice> = {}): SimFleetDevice => ({
  serialNumber: serial,
  managedDeviceId: null,
  platform: 'windows10',
  enrollmentType: 'azureAdJoin',
  power: 'on',
  network: 'online',
  resetInProgress: false,
  ...over,
});
const graph = (id: string, serial: string, state = 'managed') => ({
  id,
  deviceName: `PC-${serial}`,
  serialNumber: serial,
  userPrincipalName: `${serial.toLowerCase()}@contoso.com`,
  managementState: state,
});
let seq = 0;
const ev = (body: Record<string, unknown>) => ({ atMs: 0, seq: seq++, ...body }) as unknown as FleetEvent;

describe('the fleet store', () => {
  it('joins simulated devices with their records; a device without one is still enrolling', () => {
    const store = new FleetStore();
    store.load([sim('A', { managedDeviceId: 'id-a' }), sim('B')], [graph('id-a', 'A')]);
    expect(store.get('A')).toMatchObject({ deviceName: 'PC-A', state: 'managed', deviceId: 'id-a' });
    expect(store.get('B')).toMatchObject({ deviceName: 'B', state: 'enrolling', deviceId: null });
  });

  it('follows the event stream: enrollment, managementState, power, a reset, removal', () => {
    const store = new FleetStore();
    store.load([sim('A', { managedDeviceId: 'id-a' }), sim('B')], [graph('id-a', 'A')]);
    expect(
      store.apply(
        ev({
          type: 'device.enrolled',
          deviceId: 'id-b',
          serialNumber: 'B',
          channelId: 'c',
          platform: 'windows10',
          automatic: false,
        }),
      ),
    ).toBe('B');
    expect(store.get('B')!.state).toBe('discovered');
    expect(store.needsReload).toBe(true); // its name comes with the next load
    store.apply(ev({ type: 'device.managementState', deviceId: 'id-a', from: 'managed', to: 'wipeIssued' }));
    store.apply(
      ev({
        type: 'agent.model',
        serialNumber: 'A',
        deviceId: 'id-a',
        event: { type: 'resetStarted', commandId: 'x', protectedWipe: true, completesAtMs: 1, attempt: 1 },
      }),
    );
    store.apply(ev({ type: 'agent.power', serialNumber: 'A', power: 'off' }));
    expect(store.get('A')).toMatchObject({ state: 'wipeIssued', resetInProgress: true, power: 'off' });
    store.apply(
      ev({
        type: 'agent.model',
        serialNumber: 'A',
        deviceId: 'id-a',
        event: { type: 'resetCompleted', commandId: 'x', rules: ['W-1'] },
      }),
    );
    store.apply(ev({ type: 'device.removed', deviceId: 'id-a', why: 'wipe', specId: 'W-1' }));
    expect(store.get('A')).toMatchObject({ state: 'removed', resetInProgress: false });
    // Reloaded after the removal, the device has no record and is shown removed, not enrolling.
    store.load([sim('A'), sim('B', { managedDeviceId: 'id-b' })], [graph('id-b', 'B')]);
    expect(store.get('A')!.state).toBe('removed');
  });

  it('asks for a reload when a device it does not know enrolls', () => {
    const store = new FleetStore();
    store.load([], []);
    expect(
      store.apply(
        ev({
          type: 'device.enrolled',
          deviceId: 'n',
          serialNumber: 'NEW',
          channelId: 'c',
          platform: 'ios',
          automatic: false,
        }),
      ),
    ).toBeUndefined();
    expect(store.needsReload).toBe(true);
  });
});

describe('the fleet view', () => {
  const store = new FleetStore();
  store.load(
    [
      sim('A', { managedDeviceId: '1' }),
      sim('B', { managedDeviceId: '2', platform: 'ios', enrollmentType: 'companyPortal' }),
      sim('C'),
    ],
    [graph('1', 'A'), graph('2', 'B', 'wipePending')],
  );
  const rows = store.all();

  it('filters by text (name, serial, user), platform, state and user', () => {
    const names = (f: Partial<typeof NO_FILTER>) =>
      rows.filter((r) => matchesFilter(r, { ...NO_FILTER, ...f })).map((r) => r.serialNumber);
    expect(names({})).toEqual(['A', 'B', 'C']);
    expect(names({ text: 'pc-a' })).toEqual(['A']);
    expect(names({ text: 'b@contoso' })).toEqual(['B']);
    expect(names({ platform: 'ios' })).toEqual(['B']);
    expect(names({ state: 'enrolling' })).toEqual(['C']);
    expect(names({ user: 'a@' })).toEqual(['A']);
  });

  it('groups by platform and enrollment type, lays tiles out to the width and finds the tile under a click', () => {
    const groups = groupRows(rows, (id) => (id === 'ios' ? 'iOS/iPadOS' : 'Windows 10'));
    expect(groups.map((g) => [g.label, g.rows.length])).toEqual([
      ['iOS/iPadOS · companyPortal', 1],
      ['Windows 10 · azureAdJoin', 2],
    ]);
    const step = TILE.size + TILE.gap;
    const layout = layoutTiles(groups, step); // one tile per line
    expect(layout.tiles.map((t) => [t.row.serialNumber, t.x, t.y])).toEqual([
      ['B', 0, TILE.header],
      ['A', 0, TILE.header + step + TILE.groupGap + TILE.header],
      ['C', 0, TILE.header + step + TILE.groupGap + TILE.header + step],
    ]);
    const c = layout.tiles[2]!;
    expect(tileAt(layout, c.x + 1, c.y + 1)?.serialNumber).toBe('C');
    expect(tileAt(layout, c.x + TILE.size + 1, c.y + 1)).toBeUndefined(); // the gap
  });

  it('lays out 10,000 devices in rows that fill the width', () => {
    const many = new FleetStore();
    many.load(
      Array.from({ length: 10_000 }, (_, i) => sim(`S${i}`)),
      [],
    );
    const layout = layoutTiles(
      groupRows(many.all(), () => 'W'),
      1000,
    );
    const perLine = Math.floor((1000 + TILE.gap) / (TILE.size + TILE.gap));
    expect(layout.tiles.filter((t) => t.y === TILE.header)).toHaveLength(perLine);
    expect(layout.tiles.every((t) => t.x + TILE.size <= 1000)).toBe(true);
  });
});

describe('actions from the page', () => {
  it("sends the wipe dialog's two checkboxes as Graph's options", () => {
    expect(actionCall('wipe', 'd1', { keepEnrollmentAndUser: false, continueOnPowerLoss: true })).toEqual({
      method: 'POST',
      path: '/beta/deviceManagement/managedDevices/d1/wipe',
      body: { useProtectedWipe: true },
    });
    expect(
      actionCall('wipe', 'd1', { keepEnrollmentAndUser: true, continueOnPowerLoss: false }).body,
    ).toEqual({
      keepEnrollmentData: true,
      keepUserData: true,
    });
    expect(actionCall('delete', 'd1')).toEqual({
      method: 'DELETE',
      path: '/beta/deviceManagement/managedDevices/d1',
    });
    expect(actionCall('freshStart', 'd1', undefined, true).body).toEqual({ keepUserData: true });
  });

  it('reads the rule and reason of a refusal from the Graph error (W-PROT-4)', () => {
    const body = {
      error: {
        code: 'BadRequest',
        message:
          'useProtectedWipe cannot be combined with keepEnrollmentData or keepUserData. (reason: protectedWipeWithKeepEnrollment; rule W-PROT-4)',
      },
    };
    expect(readRefusal(400, body)).toEqual({
      status: 400,
      rule: 'W-PROT-4',
      reason: 'protectedWipeWithKeepEnrollment',
      message: body.error.message,
    });
    expect(readRefusal(502, null)).toEqual({ status: 502, rule: null, reason: null, message: 'HTTP 502' });
  });

  it('says a device is still enrolling instead of sending an action it cannot take', () => {
    expect(notActionable({ deviceId: null, state: 'enrolling' })).toBe(
      'This device is not enrolled yet: it is still enrolling.',
    );
    expect(notActionable({ deviceId: null, state: 'removed' })).toMatch(/no Intune record/);
    expect(notActionable({ deviceId: 'd', state: 'managed' })).toBeNull();
  });
});

describe('the drawer, the log and the histogram', () => {
  it('lists what an action changed on the device, item by item', () => {
    const before = {
      apps: [
        {
          id: 'a1',
          name: 'Contoso Mail',
          kind: 'companyApp',
          installed: true,
          keepOnUnenroll: false,
          data: [],
        },
      ],
      certificates: [{ id: 'c1', subject: 'CN=Wi-Fi', source: 'intune', installed: true, revoked: false }],
      networkProfiles: [],
      emailProfiles: [],
      accounts: [],
      files: [],
      settings: [],
      management: { enrolled: true, policies: [] },
      azureAd: { join: 'joined' },
      domainJoined: false,
      workProfile: null,
      mail: { cachedMessages: 3, efsProtectedMessages: 0 },
      autologonUser: null,
      esimDataPlan: null,
      boot: 'normal',
      power: 'on',
      nvram: { resetJob: null },
    } as any;
    const after = {
      ...before,
      apps: [],
      certificates: [{ ...before.certificates[0], installed: false, revoked: true }],
      management: { enrolled: false, policies: [] },
      boot: 'setup',
    };
    expect(diffStates(before, after)).toEqual([
      { key: 'apps/a1', section: 'apps', item: 'Contoso Mail', change: 'removed' },
      {
        key: 'certificates/c1',
        section: 'certificates',
        item: 'CN=Wi-Fi',
        change: 'changed',
        detail: 'installed: true → false, revoked: false → true',
      },
      { key: 'enrollment', section: 'enrollment', item: 'enrolled → not enrolled', change: 'changed' },
      { key: 'boot', section: 'boot', item: 'normal → setup', change: 'changed' },
    ]);
  });

  it('narrates events with names, rules and the power cut', () => {
    const name = (k: string) => (k === 'id-a' || k === 'A' ? 'PC-A' : k);
    expect(
      eventText(
        ev({
          type: 'action.refused',
          deviceId: 'id-a',
          action: 'wipe',
          code: 'protectedWipeNotSupported',
          specId: 'W-PROT-4',
          initiatedBy: 'x',
        }),
        name,
      ),
    ).toBe('wipe on PC-A refused: protectedWipeNotSupported (W-PROT-4)');
    expect(
      eventText(
        ev({
          type: 'agent.model',
          serialNumber: 'A',
          deviceId: 'id-a',
          event: { type: 'resetStarted', commandId: 'x', protectedWipe: true, completesAtMs: 1, attempt: 2 },
        }),
        name,
      ),
    ).toBe('PC-A: protected reset resumed (attempt 2)');
    expect(eventText(ev({ type: 'device.checkIn', deviceId: 'id-a', reason: 'schedule' }), name)).toBeNull();
  });

  it('bins propagation times by minute up to 30 min, against the 15-minute line', () => {
    const h = propagationHistogram([0, 59_999, 60_000, 14 * 60_000, 31 * 60_000]);
    expect(h.counts).toHaveLength(30);
    expect(h.counts.slice(0, 2)).toEqual([2, 1]);
    expect(h.counts[14]).toBe(1);
    expect(h.over).toBe(1);
  });
});
