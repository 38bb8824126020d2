import { cloneData } from '../../sim/clone.ts';
import type { DeviceState, PolicyItem } from '../../sim/device-state.ts';
import type { Device, Transition } from './commands.ts';

/**
 * W-5: Intune applies its policies to a managed device when it connects. After a keep-enrollment
 * wipe (or a Fresh Start that keeps the device managed) the device holds none, and the service
 * sends them again at the next check-in; each policy enforces its settings once more.
 */
export function applyPolicies(device: Device, policies: readonly PolicyItem[]): Transition {
  const { state } = device;
  if (!state.management.enrolled) return { state, events: [] };
  const settings = state.settings.map((s) => ({ ...s }));
  for (const policy of policies) {
    for (const { key, value } of policy.settings) {
      const existing = settings.find((s) => s.key === key);
      if (existing) Object.assign(existing, { value, enforced: true });
      else settings.push({ key, value, defaultValue: value, enforced: true });
    }
  }
  const next: DeviceState = {
    ...state,
    settings,
    management: { ...state.management, policies: cloneData([...policies]) },
  };
  return {
    state: next,
    events: [{ type: 'policiesApplied', policyIds: policies.map((p) => p.id), specId: 'W-5' }],
  };
}

/** True when the device lacks a policy the service assigns (so the service should send them). */
export function missingPolicies(state: DeviceState, assignedIds: readonly string[]): boolean {
  const held = new Set(state.management.policies.map((p) => p.id));
  return assignedIds.some((id) => !held.has(id));
}
