import type { CohortSpec } from '../../sim/cohort.ts';
import type { DeviceIdentity } from '../../sim/device-identity.ts';
import type { DeviceConditions, DeviceState } from '../../sim/device-state.ts';
import type { PushChannel } from '../../sim/platforms/types.ts';
import type { ServiceResult } from '../service/service.ts';
import type { ActionRecord } from '../service/types.ts';

/** One simulated device as /sim shows it: what it is, everything it holds, how it is connected. */
export interface SimDeviceView {
  serialNumber: string;
  cohort: string;
  /** Graph's managedDevice id of its current record, or null while not enrolled. */
  managedDeviceId: string | null;
  online: boolean;
  identity: DeviceIdentity;
  state: DeviceState;
}

export interface SimFault {
  conditions?: Partial<DeviceConditions>;
  bitLocker?: boolean;
  recoveryEnvironmentHealthy?: boolean;
}

/**
 * What the /sim control API drives, implemented by the emulator (service + embedded fleet + clock).
 * The broker side knows only this interface, never the agents themselves.
 */
export interface SimControl {
  clockInfo(): { mode: 'virtual' | 'scaled'; nowMs: number; speed: number | null };
  advance(ms: number): Promise<void>;
  setSpeed(speed: number): void;
  enroll(cohorts: CohortSpec[], seed?: string): Promise<SimDeviceView[]>;
  devices(): SimDeviceView[];
  device(key: string): SimDeviceView | undefined;
  power(key: string, on: boolean): SimDeviceView;
  network(key: string, online: boolean): SimDeviceView;
  fault(key: string, fault: SimFault): SimDeviceView;
  pushChannel(channel: PushChannel, up: boolean): void;
  /** S-5: a user's action in the Company Portal on their device; the device checks in at once. */
  companyPortal(
    managedDeviceId: string,
    userPrincipalName: string,
    action: 'retire' | 'wipe' | 'sync',
  ): ServiceResult<ActionRecord>;
}
