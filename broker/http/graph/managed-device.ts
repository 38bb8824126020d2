import { PLATFORMS } from '../../../sim/platforms/index.ts';
import { LIFECYCLE } from '../../service/lifecycle.ts';
import type { ActionRecord, DeviceRecord } from '../../service/types.ts';
import { type FilterProperties, graphProperties } from './odata-filter.ts';

export type GraphVersion = 'v1.0' | 'beta';

/** Graph writes date-times without fractions: 2026-01-05T09:00:00Z. */
export function graphDate(ms: number | null): string {
  return ms === null ? '0001-01-01T00:00:00Z' : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** deviceActionResult (S-2), as Graph shows it on a managedDevice. */
function actionResult(a: ActionRecord) {
  return {
    actionName: LIFECYCLE[a.kind].graphActionName,
    actionState: a.state,
    startDateTime: graphDate(a.requestedAtMs),
    lastUpdatedDateTime: graphDate(a.lastUpdatedAtMs),
  };
}

/**
 * A managedDevice in Graph's shape for one API version. Properties appear where Graph has them:
 * deviceType, ownerType and joinType, and the Android Enterprise deviceEnrollmentType values, on
 * /beta only. Values not modeled have Graph's "nothing known" value rather than being left out.
 */
export function toGraphDevice(
  record: DeviceRecord,
  actions: readonly ActionRecord[],
  version: GraphVersion,
  certificateExpiresAtMs: number,
): Record<string, unknown> {
  const i = record.identity;
  const profile = PLATFORMS[i.platform];
  const mode =
    profile.enrollmentModes.find((m) => m.type === i.enrollmentType) ?? profile.enrollmentModes[0]!;
  const upn = i.user?.userPrincipalName ?? '';
  const v1 = {
    id: record.id,
    userId: i.user ? record.azureADDeviceId.replace(/^.{8}/, '00000000') : '',
    deviceName: i.deviceName,
    managedDeviceOwnerType: i.ownership,
    enrolledDateTime: graphDate(record.enrolledAtMs),
    lastSyncDateTime: graphDate(record.lastSyncAtMs ?? record.enrolledAtMs),
    operatingSystem: profile.operatingSystem,
    complianceState: 'compliant',
    jailBroken: profile.family === 'windows' ? 'Unknown' : 'False',
    managementAgent: 'mdm',
    osVersion: i.osVersion,
    easActivated: false,
    easDeviceId: '',
    easActivationDateTime: graphDate(null),
    azureADRegistered: record.facts.azureAd !== 'none',
    deviceEnrollmentType: version === 'beta' ? mode.graphEnrollmentType : mode.graphEnrollmentTypeV1,
    activationLockBypassCode: null,
    emailAddress: upn,
    azureADDeviceId: record.azureADDeviceId,
    deviceRegistrationState: 'registered',
    deviceCategoryDisplayName: 'Unknown category',
    isSupervised: i.enrollmentType === 'automatedDeviceEnrollment',
    exchangeLastSuccessfulSyncDateTime: graphDate(null),
    exchangeAccessState: 'none',
    exchangeAccessStateReason: 'none',
    remoteAssistanceSessionUrl: null,
    remoteAssistanceSessionErrorDetails: null,
    isEncrypted: true,
    userPrincipalName: upn,
    model: i.model,
    manufacturer: i.manufacturer,
    imei: i.imei ?? '',
    complianceGracePeriodExpirationDateTime: '9999-12-31T23:59:59Z',
    serialNumber: i.serialNumber,
    phoneNumber: '',
    androidSecurityPatchLevel: profile.family === 'android' ? '2026-01-01' : '',
    userDisplayName: i.user?.displayName ?? '',
    configurationManagerClientEnabledFeatures: null,
    wiFiMacAddress: i.wiFiMacAddress,
    deviceHealthAttestationState: null,
    subscriberCarrier: '',
    meid: '',
    totalStorageSpaceInBytes: 0,
    freeStorageSpaceInBytes: 0,
    managedDeviceName: `${upn.split('@')[0] || 'Device'}_${profile.operatingSystem}_${graphDate(record.enrolledAtMs).slice(0, 10).replaceAll('-', '/')}`,
    partnerReportedThreatState: 'unknown',
    requireUserEnrollmentApproval: null,
    managementCertificateExpirationDate: graphDate(certificateExpiresAtMs),
    iccid: null,
    udid: null,
    notes: null,
    ethernetMacAddress: null,
    physicalMemoryInBytes: 0,
    enrollmentProfileName: null,
    // v1.0's schema has managementState too (Graph's v1.0 CSDL, 2026); deviceType is beta-only.
    managementState: record.managementState,
    deviceActionResults: actions.map(actionResult),
  };
  if (version === 'v1.0') return v1;
  return {
    ...v1,
    deviceType: i.deviceType,
    ownerType: i.ownership,
    joinType:
      record.facts.azureAd === 'joined'
        ? 'azureADJoined'
        : record.facts.azureAd === 'registered'
          ? 'azureADRegistered'
          : 'unknown',
  };
}

/** Properties `$filter` may name, per version (managementState on beta only). */
const FILTERABLE_V1 = [
  'operatingSystem',
  'osVersion',
  'deviceName',
  'userPrincipalName',
  'serialNumber',
  'deviceEnrollmentType',
  'managedDeviceOwnerType',
  'lastSyncDateTime',
  'managementState',
  'complianceState',
  'manufacturer',
  'model',
  'imei',
  'azureADDeviceId',
  'emailAddress',
  'enrolledDateTime',
];

/** Properties `$filter` may name, per version (deviceType and ownerType exist on beta only). */
export const FILTERABLE: Readonly<Record<GraphVersion, FilterProperties>> = {
  'v1.0': graphProperties(FILTERABLE_V1),
  beta: graphProperties([...FILTERABLE_V1, 'deviceType', 'ownerType']),
};

export const ORDERABLE = new Set(['deviceName', 'lastSyncDateTime']);
