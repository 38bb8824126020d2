import { auditActionName } from '../../service/lifecycle.ts';
import type { ActionRecord, DeviceRecord } from '../../service/types.ts';
import { graphDate } from './managed-device.ts';

/**
 * remoteActionAudit (beta): one record per action, answering "who started this wipe?". A user's own
 * Company Portal action shows the user as the initiator.
 */
export function auditRecord(a: ActionRecord, device: DeviceRecord | undefined) {
  return {
    id: a.id,
    deviceDisplayName: device?.identity.deviceName ?? '',
    userName: device?.identity.user?.displayName ?? '',
    initiatedByUserPrincipalName: a.initiatedBy,
    action: auditActionName(a.command, a.kind),
    requestDateTime: graphDate(a.requestedAtMs),
    deviceOwnerUserPrincipalName: device?.identity.user?.userPrincipalName ?? '',
    deviceIMEI: device?.identity.imei ?? '',
    actionState: a.state,
    managedDeviceId: a.deviceId,
    deviceActionDetails: [],
    deviceActionCategory: a.bulkId ? 'bulk' : 'single',
    bulkDeviceActionId: a.bulkId ?? '',
  };
}
