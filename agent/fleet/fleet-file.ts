import { z } from 'zod';
import { APP_KINDS, DATA_LOCATIONS } from '../../sim/device-state.ts';
import { ENROLLMENT_TYPES, PLATFORM_IDS } from '../../sim/platforms/types.ts';
import { COHORT_COUNT_MAX, type CohortSpec } from './cohort.ts';

/**
 * Fleet descriptions given on the command line: a JSON file of cohorts, or a named preset.
 * Validated at the edge; errors name the field and what was given.
 */
const cohortSchema = z.strictObject({
  name: z.string().min(1).max(64).optional(),
  platform: z.enum(PLATFORM_IDS),
  enrollmentType: z.enum(ENROLLMENT_TYPES).optional(),
  count: z.number().int().min(1).max(COHORT_COUNT_MAX),
  osVersion: z.string().min(1).optional(),
  ownership: z.enum(['company', 'personal']).optional(),
  user: z.string().optional(),
  overrides: z
    .strictObject({
      conditions: z
        .strictObject({
          corruptedInstallation: z.boolean().optional(),
          bitLockerResetFails: z.boolean().optional(),
          rollbackFails: z.boolean().optional(),
        })
        .optional(),
      bitLocker: z.boolean().optional(),
      recoveryEnvironmentHealthy: z.boolean().optional(),
      esimDataPlan: z.boolean().nullable().optional(),
      outlookConditionalAccess: z.boolean().optional(),
      apps: z
        .array(
          z.strictObject({
            kind: z.enum(APP_KINDS),
            name: z.string(),
            keepOnUnenroll: z.boolean().optional(),
            data: z.array(z.enum(DATA_LOCATIONS)).optional(),
          }),
        )
        .optional(),
    })
    .optional(),
});

export const fleetFileSchema = z.union([
  z.array(cohortSchema).min(1),
  z.strictObject({ seed: z.string().optional(), cohorts: z.array(cohortSchema).min(1) }),
]);

/** Built-in fleets, for a quick start. */
export const FLEET_PRESETS: Record<string, CohortSpec[]> = {
  /** Two of every platform; Windows 10 on a current build. */
  'every-platform': PLATFORM_IDS.map((platform) => ({
    name: platform,
    platform,
    count: 2,
    ...(platform === 'windows10' ? { osVersion: '22H2' } : {}),
  })),
  /** One of every platform. */
  small: PLATFORM_IDS.map((platform) => ({ name: platform, platform, count: 1 })),
};

export class FleetFileError extends Error {
  override name = 'FleetFileError';
}

/** Parses a fleet file's text; `where` names it in errors. */
export function parseFleetFile(text: string, where: string): { seed?: string; cohorts: CohortSpec[] } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new FleetFileError(`${where}: not JSON: ${(e as Error).message}`);
  }
  const parsed = fleetFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new FleetFileError(`${where}: ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
  }
  const data = parsed.data;
  return Array.isArray(data)
    ? { cohorts: data as CohortSpec[] }
    : { ...(data.seed ? { seed: data.seed } : {}), cohorts: data.cohorts as CohortSpec[] };
}
