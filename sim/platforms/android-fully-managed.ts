import { androidEnterpriseCorporateProfile } from './android-enterprise-corporate.ts';

export const profile = androidEnterpriseCorporateProfile(
  'androidFullyManaged',
  'Android Enterprise fully managed',
  'androidEnterpriseFullyManaged',
  'fullyManaged',
);
