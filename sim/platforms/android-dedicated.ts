import { androidEnterpriseCorporateProfile } from './android-enterprise-corporate.ts';

export const profile = androidEnterpriseCorporateProfile(
  'androidDedicated',
  'Android Enterprise dedicated (kiosk)',
  'androidEnterpriseDedicatedDevice',
  'dedicated',
);
