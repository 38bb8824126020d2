import type { MqttClient } from 'mqtt';
import type { ClientFlight, FlightTracker } from '../sim/clock/flight-tracker.ts';
import type { Clock } from '../sim/clock/types.ts';
import { encodeText, WIRE_VERSION } from '../sim/wire/schemas.ts';

/** Modeled one-way latency of a hop through the broker. */
export const HOP_LATENCY_MS = 50;

export interface Envelope {
  seq: number;
  sentAtMs: number;
}

/** A message as it goes on the wire: the sender's sequence number and sim send time first. */
export function stamp(seq: number, sentAtMs: number, body: object): object {
  return { v: WIRE_VERSION, seq, sentAtMs, ...body };
}

/**
 * Schedules the handling of a message from `sender` at its send time plus latency — never on
 * arrival — with a canonical tie-break key, so a virtual run is deterministic whatever the event
 * loop does.
 */
export function handleAtSendTime(clock: Clock, sender: string, envelope: Envelope, fn: () => void): void {
  const key = `${sender}:${String(envelope.seq).padStart(12, '0')}`;
  clock.schedule(Math.max(clock.now(), envelope.sentAtMs + HOP_LATENCY_MS), key, fn);
}

/**
 * One party's end of the wire: stamps what it sends with its sequence number and sim send time,
 * counts messages in flight for the virtual clock, and hands received messages over to be handled
 * at send time + latency — never on arrival — with a canonical tie-break key, so a virtual run is
 * deterministic whatever the event loop does.
 */
export class WireEndpoint {
  private seq = 0;
  /** Publishes the broker has not acknowledged yet, and who waits for there to be none. */
  private unacked = 0;
  private drained: (() => void)[] = [];
  /** Made once, not per message (mqtt.js copies them): a busy endpoint publishes millions of times. */
  private readonly plain: { qos: 0 | 1; retain: boolean };
  private readonly retained: { qos: 0 | 1; retain: boolean };
  /** Its counts in the tracker, held rather than looked up by id for every message. */
  private readonly flight: ClientFlight | null;

  constructor(
    readonly client: MqttClient,
    readonly clientId: string,
    private readonly clock: Clock,
    private readonly tracker: FlightTracker | null,
    /** What it publishes with (the connector's QoS: 0, in memory and over TCP). */
    qos: 0 | 1,
  ) {
    this.flight = tracker?.track(clientId) ?? null;
    this.plain = { qos, retain: false };
    this.retained = { qos, retain: true };
  }

  publish(topic: string, body: object, retain = false): void {
    const message = stamp(this.seq++, this.clock.now(), body);
    if (this.flight) this.tracker?.sent(this.flight);
    this.unacked++;
    this.client.publish(topic, encodeText(message), retain ? this.retained : this.plain, this.acked);
  }

  private readonly acked = () => {
    this.unacked--;
    if (this.unacked === 0) for (const resolve of this.drained.splice(0)) resolve();
  };

  /** Every received message, counted as arrived before anything else can go wrong with it. */
  onMessage(handler: (topic: string, payload: Buffer) => void): void {
    this.client.on('message', (topic, payload) => {
      if (this.flight) this.tracker?.received(this.flight);
      handler(topic, payload);
    });
  }

  /** Schedules the handling of a message from `sender` at its send time plus latency. */
  handleLater(sender: string, envelope: Envelope, fn: () => void): void {
    handleAtSendTime(this.clock, sender, envelope, fn);
  }

  /**
   * Graceful waits for what was sent to be on its way; otherwise the connection just drops (a
   * pulled cable). mqtt.js's own graceful end adds a fixed 10 ms of wall time after the last
   * acknowledgement; waiting for it here and then closing costs nothing of that.
   */
  async close(graceful = false): Promise<void> {
    if (graceful) await this.flushed();
    await this.client.endAsync(true);
    this.tracker?.dropClient(this.clientId);
  }

  /**
   * What was published has left: acknowledged by the broker at QoS 1; at QoS 0 written out of the
   * stream, which mqtt.js calls done while the packet is still corked until the next tick (a
   * forced end right then loses it).
   */
  private async flushed(): Promise<void> {
    if (this.unacked > 0) {
      await new Promise<void>((resolve) => {
        this.drained.push(resolve);
        this.client.once('close', resolve);
      });
    }
    await new Promise<void>((resolve) => setImmediate(resolve));
    const stream = this.client.stream;
    if (stream && !stream.destroyed && stream.writableLength > 0) {
      await new Promise<void>((resolve) => {
        stream.once('drain', resolve);
        stream.once('close', resolve);
      });
    }
  }
}
