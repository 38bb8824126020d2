import type { FleetEvent } from '../sim/events.ts';
import { SCRIPT_ACTIONS } from './action-script.ts';
import { type Histogram, newHistogram, record } from './histogram.ts';

/** The event log names actions as Graph does (syncDevice); the script and the report by their short name. */
const SHORT_NAME: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(SCRIPT_ACTIONS).map(([short, a]) => [a.graphName, short]),
);
const short = (graphName: string) => SHORT_NAME[graphName] ?? graphName;

/** What happened to the actions of one platform. */
export interface PlatformCounts {
  enrolled: number;
  targeted: number;
  acknowledged: number;
  done: number;
  failed: number;
  refused: number;
}

/** An action sent to a device and not yet acknowledged: when it was meant to happen (sim ms). */
interface Pending {
  intendedMs: number;
  action: string;
  platform: string;
  step: number;
}

/** The service-side events a load run needs (the WebSocket stream is asked for these only). */
export const OBSERVED_TYPES = [
  'device.enrolled',
  'device.enrollRefused',
  'device.removed',
  'device.checkIn',
  'action.delivered',
  'action.acknowledged',
  'action.completed',
  'action.refused',
  'wire.rejected',
  'auth.refused',
] as const;

/** The entry under `key`, removed. */
function take<V>(map: Map<string, V>, key: string): V | undefined {
  const v = map.get(key);
  map.delete(key);
  return v;
}

const blank = (): PlatformCounts => ({
  enrolled: 0,
  targeted: 0,
  acknowledged: 0,
  done: 0,
  failed: 0,
  refused: 0,
});

/**
 * The service as a load run sees it, from its event log: devices enrolled and still managed,
 * check-ins and deliveries, and each action's propagation — from its intended time to the
 * device's acknowledgement (open loop: a late request does not shorten it).
 */
export class Tally {
  /** Managed devices the admin may act on: managedDevice id → platform. */
  readonly managed = new Map<string, string>();
  readonly serialsEnrolled = new Set<string>();
  enrollments = 0;
  /** Records the service removed (a retire or wipe done, a delete, a cleanup). */
  removed = 0;
  checkIns = 0;
  delivered = 0;
  /** Requests joined to the same action still unacknowledged on the device. */
  coalesced = 0;
  readonly platforms = new Map<string, PlatformCounts>();
  readonly errors: Record<string, number> = {};
  readonly propagation = new Map<string, Histogram>([['all', newHistogram()]]);
  /**
   * Each check-in from when it was due (the device's schedule or push timer, as it says on the wire)
   * to when the service handled it: sim ms, open loop like the actions' propagation.
   */
  readonly checkInLateness = newHistogram();
  /** Per script step: acknowledged and failed. */
  readonly steps = new Map<number, { acknowledged: number; failed: number }>();
  private readonly pending = new Map<string, Pending>();
  /** Acknowledged, awaiting the result: device:action → platform. */
  private readonly running = new Map<string, { platform: string; step: number }>();
  /** Wall ms when the last device enrolled for the first time. */
  lastFirstEnrollWallMs: number | null = null;

  constructor(private readonly wallNow: () => number = Date.now) {}

  platform(name: string): PlatformCounts {
    const p = this.platforms.get(name) ?? blank();
    this.platforms.set(name, p);
    return p;
  }

  error(reason: string, n = 1): void {
    this.errors[reason] = (this.errors[reason] ?? 0) + n;
  }

  get errorCount(): number {
    return Object.values(this.errors).reduce((a, b) => a + b, 0);
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  step(i: number): { acknowledged: number; failed: number } {
    const s = this.steps.get(i) ?? { acknowledged: 0, failed: 0 };
    this.steps.set(i, s);
    return s;
  }

  /** Called before the request leaves, so an acknowledgement that overtakes the answer still counts. */
  expect(deviceId: string, action: string, intendedMs: number, step: number): void {
    const platform = this.managed.get(deviceId) ?? 'unknown';
    const key = `${deviceId}:${action}`;
    // The service joins a request to the same action still open on the device (action.coalesced):
    // its latency runs from the first one's intended time, which is kept.
    if (this.pending.has(key)) {
      this.coalesced++;
      return;
    }
    this.pending.set(key, { intendedMs, action, platform, step });
    this.platform(platform).targeted++;
  }

  /** The service refused it at the request (Graph's bulk answer): not an error, a fact of the platform. */
  refused(deviceId: string, action: string, step: number, reason: string): void {
    const p = this.pending.get(`${deviceId}:${action}`);
    if (!p) return;
    this.pending.delete(`${deviceId}:${action}`);
    this.platform(p.platform).refused++;
    this.step(step).failed++;
    if (reason === 'http') this.error(`request failed: ${action}`);
  }

  observe(e: FleetEvent): void {
    switch (e.type) {
      case 'device.enrolled':
        this.enrollments++;
        this.managed.set(e.deviceId, e.platform);
        if (!this.serialsEnrolled.has(e.serialNumber)) {
          this.serialsEnrolled.add(e.serialNumber);
          this.platform(e.platform).enrolled++;
          this.lastFirstEnrollWallMs = this.wallNow();
        }
        return;
      case 'device.removed':
        this.removed++;
        this.managed.delete(e.deviceId);
        return;
      case 'device.checkIn':
        this.checkIns++;
        // A remote service older than dueAtMs logs none: its check-ins are counted, their lateness not.
        if (typeof e.dueAtMs === 'number') record(this.checkInLateness, e.atMs - e.dueAtMs);
        return;
      case 'action.delivered':
        this.delivered++;
        return;
      case 'action.acknowledged': {
        const key = `${e.deviceId}:${short(e.action)}`;
        const p = take(this.pending, key);
        if (!p) return;
        const ms = e.atMs - p.intendedMs;
        record(this.propagation.get('all')!, ms);
        const h = this.propagation.get(p.action) ?? newHistogram();
        this.propagation.set(p.action, h);
        record(h, ms);
        this.platform(p.platform).acknowledged++;
        this.step(p.step).acknowledged++;
        this.running.set(key, { platform: p.platform, step: p.step });
        return;
      }
      case 'action.completed': {
        const r = take(this.running, `${e.deviceId}:${short(e.action)}`);
        if (!r) return;
        if (e.status === 'done') this.platform(r.platform).done++;
        else this.platform(r.platform).failed++;
        return;
      }
      case 'device.enrollRefused':
        this.error(`enrollment refused: ${e.reason}`);
        return;
      case 'wire.rejected':
        this.error(`service rejected a message: ${e.reason.slice(0, 60)}`);
        return;
      case 'auth.refused':
        this.error(`broker refused a connection: ${e.reason}`);
        return;
      default:
        return;
    }
  }
}
