import type { EventLog } from '../../sim/events.ts';
import type { AzureAdDeviceRecord, ServiceStore, UserRecord } from './types.ts';

/**
 * Azure AD (users and device records) and Apple Business Manager, as the service sees them.
 * D-5: deleting a device record here does not touch management. D-6: a deleted user's devices
 * can no longer be retired or wiped. D-7: an ADE device enrolls again at setup while assigned.
 */
export class Directory {
  readonly users = new Map<string, UserRecord>();
  readonly azureAdDevices = new Map<string, AzureAdDeviceRecord>();
  readonly abm = new Map<string, boolean>();

  constructor(
    private readonly store: ServiceStore,
    private readonly log: EventLog,
  ) {}

  load(
    users: UserRecord[],
    aad: AzureAdDeviceRecord[],
    abm: { serialNumber: string; assigned: boolean }[],
  ): void {
    for (const u of users) this.users.set(u.userPrincipalName.toLowerCase(), u);
    for (const d of aad) this.azureAdDevices.set(d.id, d);
    for (const a of abm) this.abm.set(a.serialNumber, a.assigned);
  }

  ensureUser(userPrincipalName: string, displayName: string): UserRecord {
    const key = userPrincipalName.toLowerCase();
    const existing = this.users.get(key);
    if (existing) return existing;
    const user: UserRecord = { userPrincipalName, displayName, deleted: false };
    this.users.set(key, user);
    this.store.saveUser(user);
    return user;
  }

  createUser(userPrincipalName: string, displayName: string): UserRecord {
    const user = this.ensureUser(userPrincipalName, displayName);
    if (user.deleted) {
      user.deleted = false; // a new account with the same name
      this.store.saveUser(user);
    }
    return user;
  }

  isDeleted(userPrincipalName: string | undefined): boolean {
    return (
      userPrincipalName !== undefined && this.users.get(userPrincipalName.toLowerCase())?.deleted === true
    );
  }

  /** D-6. False when there is no such user. */
  deleteUser(userPrincipalName: string): boolean {
    const user = this.users.get(userPrincipalName.toLowerCase());
    if (!user || user.deleted) return false;
    user.deleted = true;
    this.store.saveUser(user);
    this.log.append({ type: 'directory.userDeleted', userPrincipalName: user.userPrincipalName });
    return true;
  }

  registerAzureAdDevice(id: string, deviceId: string): void {
    const record: AzureAdDeviceRecord = { id, deviceId, deleted: false };
    this.azureAdDevices.set(id, record);
    this.store.saveAzureAdDevice(record);
  }

  /** D-5: the directory record goes; management is untouched. False when there is no such record. */
  deleteAzureAdDevice(id: string): boolean {
    const record = this.azureAdDevices.get(id);
    if (!record || record.deleted) return false;
    record.deleted = true;
    this.store.saveAzureAdDevice(record);
    this.log.append({ type: 'directory.deviceDeleted', azureADDeviceId: id, specId: 'D-5' });
    return true;
  }

  /** The device itself left Azure AD (retire, wipe): its record goes with it. */
  removeAzureAdDevice(id: string, specId: string): void {
    const record = this.azureAdDevices.get(id);
    if (!record || record.deleted) return;
    record.deleted = true;
    this.store.saveAzureAdDevice(record);
    this.log.append({ type: 'directory.deviceDeleted', azureADDeviceId: id, specId });
  }

  /** D-7: "Assigned to" in Apple Business Manager. */
  setAbmAssignment(serialNumber: string, assigned: boolean): void {
    this.abm.set(serialNumber, assigned);
    this.store.saveAbmAssignment(serialNumber, assigned);
    this.log.append({ type: 'abm.assignment', serialNumber, assigned });
  }

  isAbmAssigned(serialNumber: string): boolean {
    return this.abm.get(serialNumber) === true;
  }
}
