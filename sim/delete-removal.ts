import type { Command } from './command.ts';
import type { DeviceIdentity } from './device-identity.ts';
import { PLATFORMS } from './platforms/index.ts';

/**
 * D-1: what a deleted device receives at its next check-in — company data removed by a retire,
 * or [design] by a wipe on the Android Enterprise modes that cannot be retired.
 */
export function deleteRemovalCommand(identity: Pick<DeviceIdentity, 'platform'>, commandId: string): Command {
  return PLATFORMS[identity.platform].deleteRemoval === 'retire'
    ? { id: commandId, type: 'retire' }
    : { id: commandId, type: 'wipe', options: {} };
}
