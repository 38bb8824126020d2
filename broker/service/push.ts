import type { Clock, TimerHandle } from '../../sim/clock/types.ts';
import type { EventLog } from '../../sim/events.ts';
import { PLATFORMS } from '../../sim/platforms/index.ts';
import type { PushChannel } from '../../sim/platforms/types.ts';
import { MINUTE_MS } from '../../sim/time-units.ts';
import type { DeviceRecord, Outbox } from './types.ts';

/** S-4: a device that does not answer is notified three more times, 5 minutes apart. */
export const PUSH_RETRIES = 3;
export const PUSH_RETRY_INTERVAL_MS = 5 * MINUTE_MS;

/**
 * Push notifications (APNs, WNS, FCM), modeled on the device's notify topic. Coalesced: at most
 * one pending notification per device; a check-in answers it. An offline device misses them
 * (its connection is gone), and a channel that is down delivers nothing.
 */
export class PushNotifier {
  private pending = new Map<string, { attempt: number; timer: TimerHandle }>();
  private outages = new Set<PushChannel>();

  constructor(
    private readonly clock: Clock,
    private readonly outbox: Outbox,
    private readonly log: EventLog,
  ) {}

  get channelsDown(): PushChannel[] {
    return [...this.outages].sort();
  }

  setChannel(channel: PushChannel, up: boolean): void {
    if (up === !this.outages.has(channel)) return;
    if (up) this.outages.delete(channel);
    else this.outages.add(channel);
    this.log.append({ type: 'push.channel', channel, up });
  }

  /** Wakes the device up; a notification already pending for it covers this one. */
  notify(device: DeviceRecord): void {
    if (this.pending.has(device.id)) return;
    this.attempt(device, 1);
  }

  /** The device checked in: nothing more to send it. */
  answered(deviceId: string): void {
    const p = this.pending.get(deviceId);
    if (!p) return;
    this.clock.cancel(p.timer);
    this.pending.delete(deviceId);
  }

  private attempt(device: DeviceRecord, attempt: number): void {
    const channel = PLATFORMS[device.identity.platform].pushChannel;
    if (this.outages.has(channel)) {
      this.log.append({ type: 'push.suppressed', deviceId: device.id, channel, attempt });
    } else {
      this.outbox.toDevice(device.channelId, { type: 'notify', channel });
      this.log.append({ type: 'push.sent', deviceId: device.id, channel, attempt });
    }
    if (attempt > PUSH_RETRIES) {
      this.pending.delete(device.id);
      return;
    }
    const timer = this.clock.schedule(this.clock.now() + PUSH_RETRY_INTERVAL_MS, `push:${device.id}`, () =>
      this.attempt(device, attempt + 1),
    );
    this.pending.set(device.id, { attempt, timer });
  }
}
