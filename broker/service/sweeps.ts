import { PLATFORMS } from '../../sim/platforms/index.ts';
import { DAY_MS, HOUR_MS } from '../../sim/time-units.ts';
import { LIFECYCLE } from './lifecycle.ts';
import type { IntuneService } from './service.ts';

/** How often the continuous rules look at the inventory. */
export const SWEEP_INTERVAL_MS = HOUR_MS;
/** D-8: a record whose wipe or retire never reached the device goes 180 days after the certificate expires. */
export const EXPIRED_RECORD_GRACE_MS = 180 * DAY_MS;

/**
 * The rules that run continuously over the inventory:
 * - D-2 cleanup: delete devices that have not checked in for N days (D-3 exempts the Android
 *   Enterprise corporate modes; D-4: the record only — no wipe, no retire, no revocation).
 * - D-8: a device stuck with a wipe, Fresh Start or retire pending is removed 180 days after its management
 *   certificate expired.
 *
 * Returns the earliest time either rule can next remove a record (+Infinity when none can).
 */
export function runSweep(service: IntuneService): number {
  const now = service.now;
  const cleanupMs = service.cleanupDays * DAY_MS;
  let nextDueAtMs = Number.POSITIVE_INFINITY;
  for (const device of service.listDevices()) {
    const lastSeen = device.lastSyncAtMs ?? device.enrolledAtMs;
    const exempt = PLATFORMS[device.identity.platform].cleanupExempt; // D-3
    if (service.cleanupDays > 0 && !exempt) {
      if (now - lastSeen >= cleanupMs) {
        service.removeRecord(device, 'cleanup', 'D-2');
        continue;
      }
      nextDueAtMs = Math.min(nextDueAtMs, lastSeen + cleanupMs);
    }
    // Wipes, Fresh Starts and retires (the actions S-1 shows as issued/pending) that never reached
    // their end; looked for only past the grace (an hourly sweep of a big fleet finds none before).
    const expiredAtMs = service.certificateExpiresAt(device) + EXPIRED_RECORD_GRACE_MS;
    if (now < expiredAtMs) {
      nextDueAtMs = Math.min(nextDueAtMs, expiredAtMs);
      continue;
    }
    const stuck = service
      .actionsOf(device)
      .some((a) => LIFECYCLE[a.kind].issued !== null && (a.state === 'pending' || a.state === 'active'));
    if (stuck) service.removeRecord(device, 'certificateExpired', 'D-8');
    else nextDueAtMs = now; // an action may get stuck any time: look again at the next sweep
  }
  return nextDueAtMs;
}

/**
 * Runs the sweep every interval, but scans the inventory only once a record can be due: a
 * record's last check-in and certificate only move later, and a record added later is due
 * later, so the earliest due time a scan found holds until then — unless the cleanup setting
 * changes, which starts a scan at the next interval.
 */
export class Sweeper {
  private nextDueAtMs = Number.NEGATIVE_INFINITY;
  private scannedWithDays: number | null = null;

  constructor(private readonly service: IntuneService) {}

  tick(): void {
    const { service } = this;
    if (service.now < this.nextDueAtMs && service.cleanupDays === this.scannedWithDays) return;
    this.scannedWithDays = service.cleanupDays;
    this.nextDueAtMs = runSweep(service);
  }
}
