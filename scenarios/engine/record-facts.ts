import type { ChannelRecord, DeviceRecord } from '../../broker/service/types.ts';

/**
 * The service's record as scenario paths see it (`record.…`): its own fields, and two the service
 * keeps elsewhere — delete pending is a management state, the certificate's expiry is on the
 * channel. Without them `record.deletePending: absent` passed on every device, checking nothing.
 */
export function recordFacts(
  record: DeviceRecord | undefined,
  channel: ChannelRecord | undefined,
): (DeviceRecord & { deletePending: boolean; certificateExpiresAtMs: number | undefined }) | undefined {
  if (!record) return undefined;
  return {
    ...record,
    deletePending: record.managementState === 'deletePending',
    certificateExpiresAtMs: channel?.certificateExpiresAtMs,
  };
}
