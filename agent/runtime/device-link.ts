import type { MqttClient } from 'mqtt';
import type { FlightTracker } from '../../sim/clock/flight-tracker.ts';
import type { Clock, TimerHandle } from '../../sim/clock/types.ts';
import type { EventLog } from '../../sim/events.ts';
import type { Rng } from '../../sim/prng.ts';
import { CLOCK_TOPIC, deviceDownTopic } from '../../sim/wire/topics.ts';
import type { Connector } from '../../transport/connector.ts';
import { backoffDelayMs } from '../../transport/delivery/backoff.ts';
import { WireEndpoint } from '../../transport/endpoint.ts';

export interface LinkDeps {
  clock: Clock;
  connector: Connector;
  tracker: FlightTracker | null;
  log: EventLog;
  /** Let mqtt.js reconnect a dropped connection by itself (runs across processes). */
  reconnect: boolean;
  rng: Rng;
  serialNumber: string;
  /**
   * Subscribe to the service's clock too: only agents in a process of their own follow it
   * (`fleetsim agents`). In-process devices share the clock object; every device subscribed to
   * one topic made each disconnect scan all its subscribers, quadratic over a fleet's shutdown.
   */
  followClock: boolean;
}

export interface LinkEvents {
  onMessage(topic: string, payload: Buffer): void;
  /** mqtt.js reconnected a dropped connection. */
  onReconnect(): void;
  /** The broker refused the credentials: retrying cannot help. */
  onRefused(reason: string): void;
}

export interface ChannelCredentials {
  channelId: string;
  token: string;
}

/**
 * Logs a failed attempt and schedules the next after a backoff with jitter (real time on a scaled
 * clock): connections and enrollments retry the same way.
 */
export function scheduleRetry(
  deps: LinkDeps,
  step: 'connect' | 'enroll',
  attempt: number,
  reason: string,
  fn: () => void,
): TimerHandle {
  const { clock } = deps;
  const retryInMs = clock.simMsOfRealMs(backoffDelayMs(attempt - 1, deps.rng));
  deps.log.append({ type: 'agent.retry', serialNumber: deps.serialNumber, step, attempt, reason, retryInMs });
  return clock.schedule(clock.now() + retryInMs, `agent:${deps.serialNumber}:${step}Retry`, fn);
}

/** Closes a connection, counted as work in flight for the virtual clock until it is closed. */
export function closeTracked(link: WireEndpoint, tracker: FlightTracker | null, graceful: boolean): void {
  tracker?.begin();
  link.close(graceful).finally(() => tracker?.end());
}

/** MQTT CONNACK return codes that mean "these credentials are no good" (3.1.1: 4 and 5). */
export const isRefusal = (e: unknown): boolean => {
  const code = (e as { code?: unknown }).code;
  return code === 4 || code === 5;
};

/**
 * One device's connection on its own channel: connects when asked, runs what waited for it once
 * connected, and retries a failed attempt with exponential backoff and jitter — refused
 * connections and timeouts are the network's business, never a reason to give up. Credentials
 * the broker refuses are reported, not retried.
 */
export class DeviceLink {
  private endpoint: WireEndpoint | null = null;
  private connecting = false;
  private waiting: (() => void)[] = [];
  private retry: TimerHandle | null = null;
  private attempts = 0;
  private stopped = false;

  constructor(
    private readonly deps: LinkDeps,
    private readonly events: LinkEvents,
  ) {}

  get open(): WireEndpoint | null {
    return this.endpoint;
  }

  /**
   * The channel connection is up now. `open` stays set while mqtt.js reconnects a dropped one (what
   * is published meanwhile waits in its queue), so it says the device means to talk, not that it can.
   */
  get connected(): boolean {
    return this.endpoint?.client.connected === true;
  }

  /** Runs `then` once connected with `credentials` (connecting first if need be). */
  use(credentials: ChannelCredentials, then: () => void): void {
    if (this.endpoint) {
      then();
      return;
    }
    this.waiting.push(then);
    if (this.connecting || this.retry || this.stopped) return;
    this.connect(credentials);
  }

  private connect(credentials: ChannelCredentials): void {
    const { channelId, token } = credentials;
    this.connecting = true;
    this.deps.tracker?.begin();
    (async () => {
      let client: MqttClient | null = null;
      let link: WireEndpoint | null = null;
      try {
        client = await this.deps.connector({
          clientId: channelId,
          username: channelId,
          password: token,
          reconnect: this.deps.reconnect,
          urgent: true,
        });
        const { qos } = this.deps.connector;
        link = new WireEndpoint(client, channelId, this.deps.clock, this.deps.tracker, qos);
        if (this.stopped) return void (await link.close());
        const open = link;
        link.onMessage((topic, payload) => this.events.onMessage(topic, payload));
        const topics = [deviceDownTopic(channelId)];
        if (this.deps.followClock) topics.push(CLOCK_TOPIC);
        await client.subscribeAsync(topics, { qos });
        if (this.stopped) return void (await link.close()); // stopped while subscribing
        this.watch(client, link);
        this.endpoint = link;
        this.attempts = 0;
        // Run on the clock, not in the order connections happened to complete: at one sim instant
        // the virtual clock runs them in key order, so a run is the same over memory and over TCP.
        const { clock } = this.deps;
        clock.schedule(clock.now(), `agent:${this.deps.serialNumber}:connected`, () => {
          if (this.endpoint === open) for (const then of this.waiting.splice(0)) then();
        });
      } catch (e) {
        // A connection that failed half-way (dropped before its subscription was granted) must not
        // live on and reconnect by itself beside the retry under the same client id.
        if (link) void link.close();
        else client?.end(true);
        this.failed(credentials, e);
      } finally {
        this.connecting = false;
        this.deps.tracker?.end();
      }
    })();
  }

  private watch(client: MqttClient, link: WireEndpoint): void {
    if (this.deps.reconnect) {
      client.on('connect', () => {
        if (this.endpoint === link) this.events.onReconnect();
      });
      // mqtt.js goes on retrying by itself; refused credentials end that.
      client.on('error', (e) => {
        if (isRefusal(e) && this.endpoint === link) {
          this.drop();
          this.events.onRefused((e as Error).message);
        }
      });
    } else {
      // Without automatic reconnection a dropped connection is gone: forget it, so the next use connects anew.
      client.on('close', () => {
        if (this.endpoint === link) this.endpoint = null;
      });
    }
  }

  private failed(credentials: ChannelCredentials, e: unknown): void {
    const reason = (e as Error).message;
    if (this.stopped) return;
    if (isRefusal(e)) {
      this.waiting = [];
      this.deps.log.append({
        type: 'wire.rejected',
        clientId: credentials.channelId,
        topic: '(connect)',
        reason,
      });
      this.events.onRefused(reason);
      return;
    }
    this.attempts++;
    this.retry = scheduleRetry(this.deps, 'connect', this.attempts, reason, () => {
      this.retry = null;
      if (this.waiting.length > 0 && !this.stopped) this.connect(credentials);
    });
  }

  /** Graceful waits for what was sent to be acknowledged by the broker; otherwise the connection just drops. */
  drop(graceful = false): void {
    const link = this.endpoint;
    this.endpoint = null;
    this.waiting = [];
    if (this.retry) this.deps.clock.cancel(this.retry);
    this.retry = null;
    if (link) closeTracked(link, this.deps.tracker, graceful);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry) this.deps.clock.cancel(this.retry);
    this.retry = null;
    this.waiting = [];
    const link = this.endpoint;
    this.endpoint = null;
    await link?.close();
  }
}
