import type { StateOverrides } from '../../sim/cohort.ts';
import type { PlatformProfile } from '../../sim/platforms/types.ts';
import { appKindsOf, dataLocationsOf, PLATFORM_ONLY_FIELDS } from '../../sim/platforms/vocabulary.ts';

/** One override a platform cannot have: where it is (inside `overrides`) and what the platform allows. */
export interface OverrideProblem {
  path: (string | number)[];
  message: string;
}

/**
 * Overrides that would create a state the platform never has — app protection data on macOS, a
 * Windows app kind on iOS, Outlook state off macOS — are refused, naming the platform's values.
 */
export function overrideProblems(
  profile: PlatformProfile,
  overrides: StateOverrides | undefined,
): OverrideProblem[] {
  if (!overrides) return [];
  const problems: OverrideProblem[] = [];
  const kinds = appKindsOf(profile);
  const locations = dataLocationsOf(profile);
  for (const [i, app] of (overrides.apps ?? []).entries()) {
    if (!kinds.includes(app.kind))
      problems.push({
        path: ['apps', i, 'kind'],
        message: `${profile.id} has no '${app.kind}' apps; its app kinds are ${kinds.join(', ')}`,
      });
    for (const [j, location] of (app.data ?? []).entries())
      if (!locations.includes(location))
        problems.push({
          path: ['apps', i, 'data', j],
          message: `${profile.id} apps keep no data at '${location}'; its data locations are ${locations.join(', ')}`,
        });
  }
  const only = (field: keyof typeof PLATFORM_ONLY_FIELDS, path: (string | number)[], what: string) => {
    if (!PLATFORM_ONLY_FIELDS[field](profile))
      problems.push({ path, message: `${profile.id} has no ${what}` });
  };
  if (overrides.outlookConditionalAccess !== undefined)
    only('outlook', ['outlookConditionalAccess'], 'Outlook conditional access state (macOS only, R-MAC-5)');
  if (overrides.esimDataPlan !== undefined)
    only('esimDataPlan', ['esimDataPlan'], 'eSIM data plan (iOS/iPadOS only)');
  for (const [i, p] of (overrides.emailProfiles ?? []).entries())
    if ((p.source ?? 'intune') === 'intune')
      only('emailProfiles', ['emailProfiles', i, 'source'], 'Intune email profiles (R-DA-10)');
  if (
    profile.family !== 'windows' &&
    (overrides.bitLocker !== undefined || overrides.recoveryEnvironmentHealthy !== undefined)
  )
    problems.push({
      path: [overrides.bitLocker !== undefined ? 'bitLocker' : 'recoveryEnvironmentHealthy'],
      message: `${profile.id} is not Windows: BitLocker and the recovery environment are Windows states`,
    });
  return problems;
}
