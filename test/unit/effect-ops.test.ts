import { describe, expect, it } from 'vitest';
import { ALL_DATA_REMOVED, applyOp, type Op } from '../../agent/model/effects/ops.ts';
import { type AppItem, DATA_LOCATIONS, type DeviceState } from '../../sim/device-state.ts';
import { makeDevice } from '../helpers/devices.ts';

/**
 * The effect vocabulary itself, on app data at every location: the tables name these operations,
 * and the generated fleets do not put data at every location of every kind of app.
 */

const everywhere: AppItem = {
  id: 'app',
  name: 'app',
  kind: 'managedApp',
  installed: true,
  keepOnUnenroll: false,
  data: DATA_LOCATIONS.map((location) => ({ location, status: 'present' as const, sizeBytes: 1 })),
};

function apply(op: Op, patch: Partial<DeviceState> = {}): DeviceState {
  const draft = {
    ...structuredClone(makeDevice('macos').state),
    apps: [structuredClone(everywhere)],
    ...patch,
  };
  applyOp(draft, op);
  return draft;
}

describe('applyOp', () => {
  it('ALL_DATA_REMOVED on a kept app removes its data at every location', () => {
    const state = apply({ op: 'apps', kinds: 'all', app: 'keep', data: ALL_DATA_REMOVED });
    expect(state.apps).toEqual([{ ...everywhere, data: [] }]);
  });

  it('uninstalling takes the app’s own storage; data outside the app (SD card, MAM external) stays', () => {
    const state = apply({ op: 'apps', kinds: 'all', app: 'remove' });
    expect(state.apps).toEqual([
      {
        ...everywhere,
        installed: false,
        data: everywhere.data.filter((d) => d.location === 'mamExternal' || d.location === 'sdCard'),
      },
    ]);
  });

  it('outlookNewMail leaves a device without Outlook without one', () => {
    expect(apply({ op: 'outlookNewMail' }, { outlook: null }).outlook).toBeNull();
  });

  it('refuses an operation it does not know instead of leaving the state as it was', () => {
    expect(() => apply({ op: 'nonsense' } as unknown as Op)).toThrow(/no such operation/);
  });
});
