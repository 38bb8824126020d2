/**
 * A mixed fleet of `devices` devices, Windows the largest cohort, as in issue 10's measurements:
 * the cohort file `fleetsim agents --fleet` reads. iOS on Company Portal enrollment (User
 * Enrollment cannot be wiped, W-3); macOS takes the remainder so the counts add up exactly.
 */
export function mixedFleet(devices: number): Record<string, unknown>[] {
  const share = (f: number) => Math.floor(devices * f);
  const cohorts: (Record<string, unknown> & { count: number })[] = [
    { platform: 'windows10', count: share(0.4), osVersion: '22H2' },
    { platform: 'ios', count: share(0.2), enrollmentType: 'companyPortal' },
    { platform: 'androidKnox', count: share(0.1) },
    { platform: 'androidWorkProfile', count: share(0.1) },
    { platform: 'androidFullyManaged', count: share(0.1) },
  ];
  cohorts.push({ platform: 'macos', count: devices - cohorts.reduce((n, c) => n + c.count, 0) });
  return cohorts.filter((c) => c.count > 0);
}
