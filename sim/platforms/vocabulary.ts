import type { AppKind, DataLocation } from '../device-state.ts';
import type { AppRecipe, PlatformProfile } from './types.ts';

/**
 * What a platform's devices can hold, derived from its state recipe (the one description of a
 * platform's initial state), so scenario files and overrides are checked against the same data the
 * generator uses: an app kind, data location or email profile a platform never has is refused.
 */

function recipes(p: PlatformProfile): readonly AppRecipe[] {
  return [...p.initialState.apps, ...(p.initialState.workProfile?.apps ?? [])];
}

export function appKindsOf(p: PlatformProfile): AppKind[] {
  return [...new Set(recipes(p).map((r) => r.kind))];
}

export function dataLocationsOf(p: PlatformProfile): DataLocation[] {
  return [...new Set(recipes(p).flatMap((r) => r.data))];
}

/** The names generated apps can have on this platform. */
export function appNamesOf(p: PlatformProfile): string[] {
  return [...new Set(recipes(p).flatMap((r) => r.names))];
}

/** Platform-only parts of the device state, with the test that says whether a platform has them. */
export const PLATFORM_ONLY_FIELDS = {
  workProfile: (p: PlatformProfile) => p.initialState.workProfile !== null,
  outlook: (p: PlatformProfile) => p.initialState.outlookConditionalAccessChance > 0,
  esimDataPlan: (p: PlatformProfile) => p.initialState.esimChance > 0,
  /** Intune email profiles (R-DA-10: not on Android device administrator). */
  emailProfiles: (p: PlatformProfile) =>
    p.initialState.emailProfiles.intune !== undefined ||
    p.initialState.workProfile?.emailProfiles.intune !== undefined,
} as const satisfies Record<string, (p: PlatformProfile) => boolean>;
