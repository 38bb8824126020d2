import { z } from 'zod';
import { BULK_IDS_MAX } from './bulk-action.ts';

/** The Graph API's request bodies: the routes validate with them, /openapi.json shows them. */

export const WIPE_V1 = z.strictObject({
  keepEnrollmentData: z.boolean().optional(),
  keepUserData: z.boolean().optional(),
  macOsUnlockCode: z.string().optional(),
  persistEsimDataPlan: z.boolean().optional(),
});
/** useProtectedWipe is a beta parameter. */
export const WIPE_BETA = WIPE_V1.extend({
  useProtectedWipe: z.boolean().optional(),
  // Beta also takes obliterationBehavior (macOS Erase All Content); accepted and not modeled.
  obliterationBehavior: z.enum(['default', 'doNotObliterate', 'obliterateWithWarning', 'always']).optional(),
});
export const emptyBody = z.strictObject({});
export const cleanBody = z.strictObject({ keepUserData: z.boolean() });
export const cleanupSettingsBody = z.strictObject({
  '@odata.type': z.literal('#microsoft.graph.managedDeviceCleanupSettings').optional(),
  // Graph's type is String; scripts in the wild also send a number, which Intune takes.
  deviceInactivityBeforeRetirementInDays: z.union([z.string(), z.number()]),
});
/** Graph's managedDeviceRemoteAction values; the ones fleetsim models run, the others answer notSupported. */
export const REMOTE_ACTIONS = [
  'retire',
  'delete',
  'fullScan',
  'quickScan',
  'signatureUpdate',
  'wipe',
  'customTextNotification',
  'rebootNow',
  'setDeviceName',
  'syncDevice',
  'deprovision',
  'disable',
  'reenable',
  'moveDeviceToOrganizationalUnit',
  'activateDeviceEsim',
  'collectDiagnostics',
  'initiateMobileDeviceManagementKeyRecovery',
  'initiateOnDemandProactiveRemediation',
] as const;
export const executeActionBody = z.strictObject({
  actionName: z.enum(REMOTE_ACTIONS),
  deviceIds: z.array(z.string().min(1).max(128)).min(1).max(BULK_IDS_MAX),
  keepEnrollmentData: z.boolean().optional(),
  keepUserData: z.boolean().optional(),
  persistEsimDataPlan: z.boolean().optional(),
  notificationTitle: z.string().optional(),
  notificationBody: z.string().optional(),
  deviceName: z.string().optional(),
  carrierUrl: z.string().optional(),
  deprovisionReason: z.string().optional(),
  organizationalUnitPath: z.string().optional(),
});
