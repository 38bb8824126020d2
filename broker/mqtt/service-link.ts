import type { FlightTracker } from '../../sim/clock/flight-tracker.ts';
import type { Clock } from '../../sim/clock/types.ts';
import type { EventLog } from '../../sim/events.ts';
import { decodeDeviceUp } from '../../sim/wire/fast-check-in.ts';
import {
  type DeviceUp,
  decode,
  type EnrollRequest,
  encode,
  enrollRequestSchema,
  WireError,
} from '../../sim/wire/schemas.ts';
import {
  CLOCK_TOPIC,
  deviceDownTopic,
  enrollResponseTopic,
  parseTopic,
  SERVICE_SUBSCRIPTIONS,
} from '../../sim/wire/topics.ts';
import { type Envelope, handleAtSendTime, stamp } from '../../transport/endpoint.ts';
import type { IntuneService } from '../service/service.ts';
import type { ChannelSession, Outbox } from '../service/types.ts';
import { SERVICE_CLIENT_ID } from './acl.ts';
import type { FleetBroker } from './broker.ts';

/** A store's group commit: handlings share a transaction; sends wait for its commit. */
export interface GroupCommit {
  batch(fn: () => void): void;
  afterCommit(fn: () => void): void;
}

/** Messages one sender may have waiting to be handled (a device sends a handful at a time). */
export const MESSAGES_WAITING_MAX = 256;
/**
 * Senders whose waiting count stays in the map at 0 between their messages: a fleet's devices.
 * Past this many, a sender's entry goes with its last message, so enrollment ids that come and go
 * (anyone with the enrollment token may pick them) cannot grow the map without bound.
 */
const WAITING_SENDERS_KEPT = 100_000;

/** A sender's messages waiting to be handled; `gone` once the map has let go of it. */
interface Waiting {
  count: number;
  gone: boolean;
}

/**
 * A device as the broker knows it once connected (BrokerCredentials.deviceSender): the service's
 * handle on its channel and the link's count of its messages waiting, found once per connection
 * rather than by id for every message.
 */
export interface DeviceSender {
  readonly session: ChannelSession;
  readonly waiting: Waiting;
}

/**
 * The service's side of the wire, in the broker's process: it subscribes and publishes through
 * the embedded broker itself, with no connection of its own — devices still reach it only through
 * the broker's authentication, ACLs and validation, and it reaches them only through the broker's
 * routing (published at QoS 1, delivered at the device's own QoS). What the broker validated on
 * the way in is handled as it was decoded there; it is handed to the service on the clock at send
 * time + latency, and outgoing messages go through the Outbox the service was built with.
 */
export class ServiceLink implements Outbox {
  private broker: FleetBroker | null = null;
  private service: IntuneService | null = null;
  private seq = 0;
  rejected = 0;
  /**
   * Messages received and not yet handled, per sender. A sender's entry stays at 0 when its last
   * one is handled: V8 reallocates a Map's table whenever a delete leaves it a quarter full, and a
   * long-lived Map's tables go straight to the old generation — a delete per message was an eighth
   * of what a month of check-ins promoted there. Past WAITING_SENDERS_KEPT senders, entries go.
   * The count is an object the message's handling holds: it is looked up once per message, where a
   * count kept as the map's value took four lookups by id, each missing the CPU's caches in a big fleet.
   */
  private readonly waiting = new Map<string, Waiting>();
  /** Publishes the broker has not finished routing, and who waits for there to be none. */
  private routing = 0;
  private drained: (() => void)[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly log: EventLog,
    private readonly tracker: FlightTracker | null,
    private readonly dropClient: (clientId: string) => void,
    /** Group commit (a store's `batch` and `afterCommit`); without it each handling commits on its own. */
    private readonly commit: GroupCommit | null = null,
    private readonly sendersKept = WAITING_SENDERS_KEPT,
  ) {
    tracker?.track(SERVICE_CLIENT_ID);
  }

  async attach(broker: FleetBroker, service: IntuneService): Promise<void> {
    this.broker = broker;
    this.service = service;
    for (const topic of SERVICE_SUBSCRIPTIONS)
      await broker.subscribeService(topic, (t, payload) => this.receive(t, payload));
  }

  /**
   * The sender the broker keeps with a device's connection, if its credentials are valid now
   * (server.ts gives the broker this as its BrokerCredentials.deviceSender).
   */
  deviceSender(channelId: string, token: string): DeviceSender | null {
    const session = this.service?.openChannel(channelId, token);
    return session ? { session, waiting: this.waitingOf(channelId) } : null;
  }

  private receive(topic: string, payload: Buffer): void {
    const service = this.service!;
    const parsed = parseTopic(topic);
    const checked = this.broker?.checkedMessage(payload);
    try {
      if (parsed?.kind === 'deviceUp') {
        const message = (checked?.message as DeviceUp | undefined) ?? decodeDeviceUp(topic, payload);
        // Only this link's deviceSender makes a device's sender, and only a device's own up topic
        // gets this far (acl.ts): it is this device's.
        const sender = checked ? (checked.sender as DeviceSender | null) : null;
        this.later(
          topic,
          parsed.deviceId,
          message,
          () => service.handleDeviceMessage(parsed.deviceId, message, sender?.session ?? null),
          true,
          sender?.waiting,
        );
      } else if (parsed?.kind === 'enrollRequest') {
        const message =
          (checked?.message as EnrollRequest | undefined) ?? decode(enrollRequestSchema, topic, payload);
        // An enrollment's id comes once: its entry goes with its message.
        this.later(
          topic,
          parsed.clientId,
          message,
          () => service.handleEnroll(parsed.clientId, message),
          false,
        );
      } else {
        throw new WireError(topic, 'not a topic the service handles');
      }
    } catch (e) {
      this.rejected++;
      this.log.append({
        type: 'wire.rejected',
        clientId: SERVICE_CLIENT_ID,
        topic,
        reason: (e as Error).message,
      });
    }
  }

  /**
   * Schedules a message's handling, at most MESSAGES_WAITING_MAX per sender at a time: a sender
   * flooding within the allowed clock skew cannot grow what the service holds without bound.
   * `keep`: the sender comes again (a device, not an enrollment), so its entry stays at zero.
   */
  private later(
    topic: string,
    sender: string,
    message: Envelope,
    handle: () => void,
    keep = true,
    /** The sender's count as its connection holds it, if it does and the map still has it. */
    held?: Waiting,
  ): void {
    const waiting = held && !held.gone ? held : this.waitingOf(sender);
    if (waiting.count >= MESSAGES_WAITING_MAX)
      throw new WireError(
        topic,
        `more than ${MESSAGES_WAITING_MAX} messages from ${sender} waiting to be handled`,
      );
    waiting.count++;
    handleAtSendTime(this.clock, sender, message, () => {
      // At 0 no message holds this count: the next one of the sender may start a new one (a
      // connection that still holds this one sees it gone).
      if (--waiting.count === 0 && (!keep || this.waiting.size > this.sendersKept)) {
        this.waiting.delete(sender);
        waiting.gone = true;
      }
      if (this.commit) this.commit.batch(handle);
      else handle();
    });
  }

  private waitingOf(sender: string): Waiting {
    let waiting = this.waiting.get(sender);
    if (waiting === undefined) {
      waiting = { count: 0, gone: false };
      this.waiting.set(sender, waiting);
    }
    return waiting;
  }

  toDevice(channelId: string, message: Parameters<Outbox['toDevice']>[1]): void {
    this.publish(deviceDownTopic(channelId), message);
  }

  toEnrollee(clientId: string, message: Parameters<Outbox['toEnrollee']>[1]): void {
    this.publish(enrollResponseTopic(clientId), message);
  }

  /**
   * Stamped with the service's sequence number and sim send time, and counted in flight for the
   * virtual clock until the broker has routed it (its 'publish' event, as for a connection's).
   */
  private publish(topic: string, body: object, retain = false): void {
    if (this.commit) this.commit.afterCommit(() => this.publishNow(topic, body, retain));
    else this.publishNow(topic, body, retain);
  }

  private publishNow(topic: string, body: object, retain: boolean): void {
    const broker = this.broker;
    if (!broker) return;
    this.tracker?.sent(SERVICE_CLIENT_ID);
    this.routing++;
    broker.publishAsService(topic, encode(stamp(this.seq++, this.clock.now(), body)), retain, (error) => {
      // A refused publish never reaches the 'publish' event that would settle it.
      if (error) this.tracker?.routed(SERVICE_CLIENT_ID);
      if (--this.routing === 0) for (const resolve of this.drained.splice(0)) resolve();
    });
  }

  disconnect(channelId: string): void {
    if (this.commit) this.commit.afterCommit(() => this.dropClient(channelId));
    else this.dropClient(channelId);
  }

  /** Retained, so agents read it at connect (design.md, Time). */
  publishClock(body: {
    mode: 'virtual' | 'scaled';
    simOriginMs: number;
    wallOriginMs: number;
    speed: number;
  }): void {
    this.publish(CLOCK_TOPIC, { type: 'clock', ...body }, true);
  }

  /** Waits for what it published to be routed; the broker's close ends the subscriptions. */
  async close(): Promise<void> {
    if (this.routing > 0) await new Promise<void>((resolve) => this.drained.push(resolve));
    this.broker = null;
  }
}
