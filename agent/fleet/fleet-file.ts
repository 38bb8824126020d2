import { z } from 'zod';
import { cohortSchema } from '../../sim/cohort-schema.ts';
import { PLATFORM_IDS } from '../../sim/platforms/types.ts';
import type { CohortSpec } from './cohort.ts';

/**
 * Fleet descriptions given on the command line: a JSON file of cohorts, or a named preset.
 * Validated at the edge; errors name the field and what was given.
 */
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
