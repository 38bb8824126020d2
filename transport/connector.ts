import type { Duplex } from 'node:stream';
// Before mqtt/aedes load: see quiet-debug.ts.
import './quiet-debug.ts';
import './young-packets.ts';
import './no-number-cache.ts';
import './parser-buffer-list.ts';
import { connectAsync, type IClientOptions, MqttClient } from 'mqtt';
import { duplexPair } from './duplex-pair.ts';
import { gate } from './handshake-gate.ts';

export interface ConnectOptions {
  clientId: string;
  username: string;
  password: string;
  /** Reconnect by itself after a lost connection (scaled runs that outlive a broker restart). */
  reconnect: boolean;
  /**
   * A device's own channel (opened right after it enrolled, or again after a drop): it goes ahead
   * of enrollments waiting for a handshake, so enrolled devices do not wait for the whole fleet to
   * have enrolled before they can check in.
   */
  urgent?: boolean;
}

/**
 * Opens one MQTT connection; rejects with the broker's refusal (for example bad credentials).
 * `qos` is what a client sends and subscribes with over these connections: 0, over TCP as in
 * memory. Nothing rests on MQTT's QoS for safety: every message that changes state is kept by its
 * sender until the other side says it committed it (a command is sent again at each check-in until
 * acknowledged, a result until the service acknowledges it, a push again after 5 minutes; a device
 * talks again on every reconnect), and QoS 1 with clean sessions promises only a hop, not a commit.
 * Over TCP QoS 1 cost a PUBACK each way and the broker's and client's in-flight bookkeeping for
 * every message: a device's side of a sync's round is 5 packets at QoS 0 against 10 at QoS 1.
 */
export interface Connector {
  (options: ConnectOptions): Promise<MqttClient>;
  readonly qos: 0 | 1;
}

/**
 * mqtt.js gives every client its own `debug` logger and formats a line for it at every packet, on
 * or off; without DEBUG=mqttjs* a client logs nothing, for nothing.
 */
const quietLog = process.env.DEBUG?.includes('mqttjs') ? {} : { log: () => {} };

function clientOptions(o: ConnectOptions, keepaliveS: number): IClientOptions {
  return {
    clientId: o.clientId,
    username: o.username,
    password: o.password,
    protocolVersion: 4, // MQTT 3.1.1: what aedes 1.x speaks
    clean: true,
    keepalive: keepaliveS,
    reconnectPeriod: o.reconnect ? 1000 : 0,
    connectTimeout: 10_000,
    ...quietLog,
  };
}

/** Over TCP a silent peer may be gone: ping it. */
const TCP_KEEPALIVE_S = 60;

/**
 * Errors after the connection is up (a reset socket, a keepalive timeout) are the connection's
 * business: its 'close' tells the owner. Without a listener an EventEmitter 'error' would throw.
 */
function quietErrors(client: MqttClient): MqttClient {
  client.on('error', () => {});
  return client;
}

/** Real TCP connections to a broker, local or remote (`mqtt://host:port`). */
export function tcpConnector(url: string): Connector {
  const turn = gate(TCP_HANDSHAKES_MAX);
  // allowRetries false: a connection closed before the broker's CONNACK fails the attempt (the
  // caller retries with backoff) instead of leaving the promise unsettled for ever.
  const connect = (o: ConnectOptions) =>
    turn(
      async () => quietErrors(await connectAsync(url, clientOptions(o, TCP_KEEPALIVE_S), false)),
      o.urgent === true,
    );
  return Object.assign(connect, { qos: 0 as const });
}

/**
 * TCP handshakes one process has under way at once. 5,000 devices of an agents process opening
 * together queued behind each other in the broker past mqtt.js's 10 s connack timeout; each timed
 * out device then waited out a backoff, and a 10,000-device fleet took a minute to enroll with
 * both processes mostly idle (190 enrolled/s; with this gate 1,387/s — 50 did as well, 500 worse).
 * Past this many, a connect waits its turn; its timeout starts with it.
 */
export const TCP_HANDSHAKES_MAX = 100;

/**
 * In-memory handshakes under way at once. A whole fleet connects at one sim instant; opened all
 * together, 50,000 handshakes advance in lockstep, each step taken by all of them before any
 * completes — for longer than the virtual clock's stall limit and mqtt.js's connack timeout (real
 * time), with the heap holding every half-open connection. Past this many, a connect waits its
 * turn (first come, first served); sim time does not move meanwhile, so nothing a run shows changes.
 */
export const MEMORY_HANDSHAKES_MAX = 500;

/** In-memory connections straight into an in-process broker: for large fleets and fast tests. */
export function memoryConnector(handle: (stream: Duplex) => void): Connector {
  const turn = gate(MEMORY_HANDSHAKES_MAX);
  // Made outside the handshake's scope: a client keeps its stream builder for life, and a closure
  // made inside would keep the handshake's whole context with it (its settle callbacks: ~1 KB).
  const streamBuilder = () => {
    const [clientSide, brokerSide] = duplexPair();
    handle(brokerSide);
    return clientSide;
  };
  const handshake = (o: ConnectOptions) =>
    new Promise<MqttClient>((resolve, reject) => {
      // in memory a peer cannot vanish unnoticed: no keepalive timers, no pings
      const client = new MqttClient(streamBuilder, clientOptions(o, 0));
      const onError = (err: Error) => {
        client.end(true);
        reject(err);
      };
      const onClose = () => onError(new Error('the connection closed before the broker answered'));
      client.once('connect', () => {
        client.off('error', onError);
        client.off('close', onClose);
        resolve(quietErrors(client));
      });
      client.once('error', onError);
      client.once('close', onClose);
    });
  const connect = (o: ConnectOptions) => turn(() => handshake(o));
  return Object.assign(connect, { qos: 0 as const });
}
