import type { Emulator } from '../../emulator/emulator.ts';
import type { ActionRequest } from '../../sim/eligibility.ts';
import { PLATFORMS } from '../../sim/platforms/index.ts';
import type { PlatformId } from '../../sim/platforms/types.ts';
import type { Rng } from '../../sim/prng.ts';

export const DEMO_ADMIN = 'admin@contoso.onmicrosoft.com';

export type ActOutcome =
  | {
      ok: true;
      serialNumber: string;
      deviceId: string;
      actionId: string;
      deviceName: string;
      message: string;
    }
  | { ok: false; message: string };

/** How far a platform's devices are through enrollment: managed (checked in once) of all. */
export function enrollmentProgress(
  emulator: Emulator,
  platform: PlatformId | null,
): { managed: number; total: number } {
  const total = emulator.runner
    .all()
    .filter((a) => platform === null || a.device.identity.platform === platform).length;
  let managed = 0;
  for (const d of emulator.service.listDevices())
    if ((platform === null || d.identity.platform === platform) && d.managementState === 'managed') managed++;
  return { managed, total };
}

/**
 * Sends an action to one managed device of a platform, chosen by the demo's seeded generator.
 * Only devices that finished enrolling qualify; when none has yet, the answer says so with the
 * count, so the screen never contradicts the reason (issue 14).
 */
export function actOnPlatform(
  emulator: Emulator,
  platform: PlatformId,
  request: ActionRequest,
  label: string,
  rng: Rng,
): ActOutcome {
  const candidates = emulator.service
    .listDevices()
    .filter((d) => d.identity.platform === platform && d.managementState === 'managed');
  const name = PLATFORMS[platform].displayName;
  if (candidates.length === 0) {
    const { managed, total } = enrollmentProgress(emulator, platform);
    if (managed < total)
      return { ok: false, message: `still enrolling: ${managed} of ${total} ${name} devices managed so far` };
    return { ok: false, message: `no managed ${name} device left to ${label}` };
  }
  const device = rng.pick(candidates);
  const result = emulator.service.requestAction(device.id, request, {
    userPrincipalName: DEMO_ADMIN,
    source: 'admin',
  });
  if (!result.ok || !result.value) {
    if (result.ok) return { ok: false, message: `${label}: the record went at once (D-6)` };
    const e = result.error;
    return {
      ok: false,
      message: `${label} refused: ${e.message} (${e.code}${e.specId ? `, ${e.specId}` : ''})`,
    };
  }
  return {
    ok: true,
    serialNumber: device.identity.serialNumber,
    deviceId: device.id,
    actionId: result.value.id,
    deviceName: device.identity.deviceName,
    message: `${label} sent to ${device.identity.deviceName}`,
  };
}
