import type { CohortSpec } from '../../sim/cohort.ts';

/** The demo's default fleet: 300 devices of every platform, in roughly the mix of a real tenant. */
export const DEMO_FLEET: CohortSpec[] = [
  { name: 'iPhone BYOD', platform: 'ios', count: 35, enrollmentType: 'companyPortal' },
  { name: 'iPhone ADE', platform: 'ios', count: 20, enrollmentType: 'automatedDeviceEnrollment' },
  { name: 'iPhone UE', platform: 'ios', count: 5, enrollmentType: 'appleUserEnrollment' },
  { name: 'Mac', platform: 'macos', count: 20 },
  { name: 'Android DA', platform: 'androidDeviceAdmin', count: 20 },
  { name: 'Knox', platform: 'androidKnox', count: 20 },
  { name: 'Work profile', platform: 'androidWorkProfile', count: 30 },
  { name: 'Kiosk', platform: 'androidDedicated', count: 15 },
  { name: 'Fully managed', platform: 'androidFullyManaged', count: 20 },
  { name: 'COPE', platform: 'androidCorporateWorkProfile', count: 15 },
  { name: 'Windows 8.1', platform: 'windows81', count: 5 },
  { name: 'Windows RT 8.1', platform: 'windowsRT81', count: 3 },
  { name: 'Windows RT', platform: 'windowsRT', count: 2 },
  { name: 'Windows 10', platform: 'windows10', count: 80, osVersion: '22H2' },
  { name: 'Windows 10 1709', platform: 'windows10', count: 10, osVersion: '1709' },
];

/** Scale the default fleet to about `total` devices, keeping at least one of each cohort. */
export function demoFleet(total: number): CohortSpec[] {
  const sum = DEMO_FLEET.reduce((n, c) => n + c.count, 0);
  return DEMO_FLEET.map((c) => ({ ...c, count: Math.max(1, Math.round((c.count * total) / sum)) }));
}
