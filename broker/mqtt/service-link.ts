import type { FlightTracker } from '../../sim/clock/flight-tracker.ts';
import type { Clock } from '../../sim/clock/types.ts';
import type { EventLog } from '../../sim/events.ts';
import { decodeDeviceUp } from '../../sim/wire/fast-check-in.ts';
import { decode, enrollRequestSchema, WireError } from '../../sim/wire/schemas.ts';
import {
  CLOCK_TOPIC,
  deviceDownTopic,
  enrollResponseTopic,
  parseTopic,
  SERVICE_SUBSCRIPTIONS,
} from '../../sim/wire/topics.ts';
import type { Connector } from '../../transport/connector.ts';
import { type Envelope, WireEndpoint } from '../../transport/endpoint.ts';
import type { IntuneService } from '../service/service.ts';
import type { Outbox } from '../service/types.ts';
import { SERVICE_CLIENT_ID, SERVICE_USERNAME } from './acl.ts';

/** Messages one sender may have waiting to be handled (a device sends a handful at a time). */
export const MESSAGES_WAITING_MAX = 256;

/**
 * The service's own connection to the broker, under its own identity. Incoming messages are
 * validated again (the broker already checked them) and handed to the service on the clock;
 * outgoing ones go through the Outbox the service was built with.
 */
export class ServiceLink implements Outbox {
  private endpoint: WireEndpoint | null = null;
  private service: IntuneService | null = null;
  rejected = 0;
  /** Messages received and not yet handled, per sender. */
  private readonly waiting = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    private readonly log: EventLog,
    private readonly tracker: FlightTracker | null,
    private readonly dropClient: (clientId: string) => void,
  ) {}

  async connect(connector: Connector, serviceToken: string, service: IntuneService): Promise<void> {
    this.service = service;
    const client = await connector({
      clientId: SERVICE_CLIENT_ID,
      username: SERVICE_USERNAME,
      password: serviceToken,
      reconnect: false,
    });
    this.endpoint = new WireEndpoint(client, SERVICE_CLIENT_ID, this.clock, this.tracker);
    this.endpoint.onMessage((topic, payload) => this.receive(topic, payload));
    await client.subscribeAsync([...SERVICE_SUBSCRIPTIONS], { qos: 1 });
  }

  private receive(topic: string, payload: Buffer): void {
    const endpoint = this.endpoint!;
    const service = this.service!;
    const parsed = parseTopic(topic);
    try {
      if (parsed?.kind === 'deviceUp') {
        const message = decodeDeviceUp(topic, payload);
        this.later(endpoint, topic, parsed.deviceId, message, () =>
          service.handleDeviceMessage(parsed.deviceId, message),
        );
      } else if (parsed?.kind === 'enrollRequest') {
        const message = decode(enrollRequestSchema, topic, payload);
        this.later(endpoint, topic, parsed.clientId, message, () =>
          service.handleEnroll(parsed.clientId, message),
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
   */
  private later(
    endpoint: WireEndpoint,
    topic: string,
    sender: string,
    message: Envelope,
    handle: () => void,
  ): void {
    const waiting = this.waiting.get(sender) ?? 0;
    if (waiting >= MESSAGES_WAITING_MAX)
      throw new WireError(
        topic,
        `more than ${MESSAGES_WAITING_MAX} messages from ${sender} waiting to be handled`,
      );
    this.waiting.set(sender, waiting + 1);
    endpoint.handleLater(sender, message, () => {
      const left = (this.waiting.get(sender) ?? 1) - 1;
      if (left === 0) this.waiting.delete(sender);
      else this.waiting.set(sender, left);
      handle();
    });
  }

  toDevice(channelId: string, message: Parameters<Outbox['toDevice']>[1]): void {
    this.endpoint?.publish(deviceDownTopic(channelId), message);
  }

  toEnrollee(clientId: string, message: Parameters<Outbox['toEnrollee']>[1]): void {
    this.endpoint?.publish(enrollResponseTopic(clientId), message);
  }

  disconnect(channelId: string): void {
    this.dropClient(channelId);
  }

  /** Retained, so agents read it at connect (design.md, Time). */
  publishClock(body: {
    mode: 'virtual' | 'scaled';
    simOriginMs: number;
    wallOriginMs: number;
    speed: number;
  }): void {
    this.endpoint?.publish(CLOCK_TOPIC, { type: 'clock', ...body }, true);
  }

  async close(): Promise<void> {
    await this.endpoint?.close();
  }
}
