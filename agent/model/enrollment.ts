import type { DeviceState } from '../../sim/device-state.ts';
import { PLATFORMS } from '../../sim/platforms/index.ts';
import type { Device, Transition } from './commands.ts';

/**
 * The device's side of enrolling again (D-7's ADE re-enrollment at setup, D-9): it is managed
 * once more, setup completes, and the platform's management agent is back. Policies follow (W-5).
 */
export function completeEnrollment(device: Device): Transition {
  const { state, identity } = device;
  const family = PLATFORMS[identity.platform].family;
  const next: DeviceState = {
    ...state,
    // Enrolling completes setup. A device enrolls only while it runs (setup or normal boot; an
    // unbootable one never connects), so `→ true` cannot be told apart; the guard keeps a pure
    // function from ever booting an unbootable device.
    // Stryker disable next-line ConditionalExpression: see above
    boot: state.boot === 'setup' ? 'normal' : state.boot,
    management: {
      ...state.management,
      enrolled: true,
      managementProfile: family === 'apple' || state.management.managementProfile,
      deviceAdminPrivilege:
        identity.platform === 'androidDeviceAdmin' ||
        identity.platform === 'androidKnox' ||
        state.management.deviceAdminPrivilege,
    },
  };
  return { state: next, events: [] };
}
