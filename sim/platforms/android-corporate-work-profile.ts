import { androidEnterpriseCorporateProfile } from './android-enterprise-corporate.ts';

export const profile = androidEnterpriseCorporateProfile(
  'androidCorporateWorkProfile',
  'Android Enterprise corporate-owned work profile',
  'androidEnterpriseCorporateWorkProfile',
  'corporateWorkProfile',
);
