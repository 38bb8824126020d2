import type { EnrollmentType, GraphDeviceType, Ownership, PlatformId } from './platforms/types.ts';

/** The primary user of a device, as Azure AD knows them. */
export interface DeviceUser {
  userPrincipalName: string;
  displayName: string;
}

/**
 * What a device is; it never changes (actions change DeviceState only). The service's
 * managedDevice record is built from these fields at enrollment.
 */
export interface DeviceIdentity {
  serialNumber: string;
  platform: PlatformId;
  enrollmentType: EnrollmentType;
  ownership: Ownership;
  deviceName: string;
  manufacturer: string;
  model: string;
  deviceType: GraphDeviceType;
  /** As the OS reports it: "17.6.1", "14", "10.0.16299.2166". */
  osVersion: string;
  /** Windows build number (16299 = 1709); null elsewhere. */
  osBuild: number | null;
  /** Android, iOS with cellular: the IMEI; null elsewhere. */
  imei: string | null;
  wiFiMacAddress: string;
  /** null for userless devices (kiosks). */
  user: DeviceUser | null;
}
