import type { CohortSpec } from '../../sim/cohort.ts';
import { PLATFORMS } from '../../sim/platforms/index.ts';
import {
  ENROLLMENT_TYPES,
  type OsRelease,
  PLATFORM_IDS,
  type PlatformProfile,
} from '../../sim/platforms/types.ts';
import { overrideProblems } from './override-check.ts';

export type { CohortSpec, StateOverrides } from '../../sim/cohort.ts';

/** Upper bound on one cohort, so a typo cannot ask for a billion devices. */
export { COHORT_COUNT_MAX } from '../../sim/cohort-schema.ts';

import { COHORT_COUNT_MAX } from '../../sim/cohort-schema.ts';

export class FleetSpecError extends Error {
  constructor(
    readonly path: string,
    readonly expected: string,
    readonly given: unknown,
  ) {
    super(`${path}: expected ${expected}, got ${JSON.stringify(given)}`);
    this.name = 'FleetSpecError';
  }
}

/** The release a cohort asks for, or null for "draw one per device". */
export function findRelease(
  profile: PlatformProfile,
  osVersion: string | undefined,
  path: string,
): OsRelease | null {
  if (osVersion === undefined) return null;
  const known = profile.osReleases.find((r) => r.version === osVersion || r.label === osVersion);
  if (known) return known;
  // Any Windows 10 build can be named by its full version: the build decides the 1703/1709 rules.
  const windows10 = profile.id === 'windows10' ? /^10\.0\.(\d{5})\.\d+$/.exec(osVersion) : null;
  if (windows10) return { version: osVersion, build: Number(windows10[1]), label: osVersion };
  const choices = profile.osReleases.flatMap((r) => [r.label, r.version]);
  throw new FleetSpecError(`${path}.osVersion`, `one of ${choices.join(', ')}`, osVersion);
}

/** Checks a cohort against the catalogue; throws FleetSpecError naming the field. */
export function validateCohort(cohort: CohortSpec, path: string): void {
  if (!PLATFORM_IDS.includes(cohort.platform)) {
    throw new FleetSpecError(`${path}.platform`, `one of ${PLATFORM_IDS.join(', ')}`, cohort.platform);
  }
  const profile = PLATFORMS[cohort.platform];
  if (!Number.isInteger(cohort.count) || cohort.count < 1 || cohort.count > COHORT_COUNT_MAX) {
    throw new FleetSpecError(`${path}.count`, `a whole number from 1 to ${COHORT_COUNT_MAX}`, cohort.count);
  }
  if (cohort.enrollmentType !== undefined) {
    const allowed = profile.enrollmentModes.map((m) => m.type);
    if (!ENROLLMENT_TYPES.includes(cohort.enrollmentType) || !allowed.includes(cohort.enrollmentType)) {
      throw new FleetSpecError(
        `${path}.enrollmentType`,
        `for ${profile.id} one of ${allowed.join(', ')}`,
        cohort.enrollmentType,
      );
    }
  }
  if (cohort.ownership !== undefined && cohort.ownership !== 'company' && cohort.ownership !== 'personal') {
    throw new FleetSpecError(`${path}.ownership`, 'company or personal', cohort.ownership);
  }
  if (cohort.user !== undefined && !/^[^@\s]+@[^@\s]+$/.test(cohort.user)) {
    throw new FleetSpecError(`${path}.user`, 'a user principal name (name@domain)', cohort.user);
  }
  findRelease(profile, cohort.osVersion, path);
  const problem = overrideProblems(profile, cohort.overrides)[0];
  if (problem) {
    const at = `${path}.overrides${problem.path.map((k) => (typeof k === 'number' ? `[${k}]` : `.${k}`)).join('')}`;
    throw new FleetSpecError(
      at,
      problem.message,
      problem.path.reduce<unknown>((v, k) => (v as never)?.[k], cohort.overrides),
    );
  }
}
