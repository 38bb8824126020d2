import { createServer, type Server, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { createServer as createTlsServer } from 'node:tls';
// Before mqtt/aedes load: see quiet-debug.ts.
import '../../transport/quiet-debug.ts';
import '../../transport/young-packets.ts';
import '../../transport/no-number-cache.ts';
import '../../transport/parser-buffer-list.ts';
import { Aedes, type AedesPublishPacket, type Client } from 'aedes';
import type { ClientFlight, FlightTracker } from '../../sim/clock/flight-tracker.ts';
import type { EventLog } from '../../sim/events.ts';
import { MINUTE_MS } from '../../sim/time-units.ts';
import { decodeDeviceUp } from '../../sim/wire/fast-check-in.ts';
import {
  type DeviceUp,
  decode,
  type EnrollRequest,
  enrollRequestSchema,
  PAYLOAD_BYTES_MAX,
} from '../../sim/wire/schemas.ts';
import { OLDER_LAYOUT_HINT, olderLayout } from '../../sim/wire/topics.ts';
import {
  ENROLL_CLIENT_PREFIX,
  ENROLL_USERNAME,
  mayPublish,
  maySubscribe,
  type Role,
  SERVICE_CLIENT_ID,
} from './acl.ts';
import { guardPacketSize } from './packet-size-guard.ts';

/** Credentials the broker checks; the service owns them. */
export interface BrokerCredentials {
  enrollmentToken: string;
  /**
   * Who a device is, if its channel credentials are valid now; null if they are not. The broker
   * keeps it with the connection and hands it over with each message the device sends
   * (checkedMessage): whoever receives the messages finds their sender once per connection, not by
   * id for every message. What it is, is the business of the one who made it.
   */
  deviceSender(channelId: string, token: string): object | null;
}

export interface BrokerStats {
  connections: number;
  /** PUBLISH packets from clients the broker routed (devices, enrollees, the service; not its own $SYS ones). */
  published: number;
  authRefused: number;
  /** Every refused PUBLISH, the ones stamped in the future included. */
  publishRejected: number;
  /** PUBLISHes refused because their sentAtMs lay further ahead than sentAtSkewMaxMs(). */
  futureRejected: number;
  subscribeRefused: number;
  /** TCP connections cut off at a packet header announcing more than the limit. */
  oversizeCut: number;
  /** Connections the listening socket could not accept (EMFILE: out of descriptors, and the like). */
  acceptFailed: number;
}

/**
 * Largest MQTT packet (remaining length) a TCP client may send before it has authenticated: a
 * CONNECT with a client id, user name and token of at most a few hundred bytes each, with room.
 */
export const CONNECT_BYTES_MAX = 4 * 1024;
/** After CONNECT: the wire schemas' largest payload plus its topic and packet header. */
export const PACKET_BYTES_MAX = PAYLOAD_BYTES_MAX + 4 * 1024;
/**
 * How far ahead of the service clock a message's sentAtMs may be. The service holds a message
 * until its send time (design.md, Time), so an unbounded stamp would be held unboundedly. On a
 * scaled clock the bound is 5 s of wall time at the clock's speed (agents on another machine
 * compute sim time from their own wall clock, so a few seconds of difference must pass), and
 * never less than one sim minute (an agent runs on the old speed until it hears of a new one);
 * on the virtual clock, which service and agents share, one sim minute.
 */
export const SENT_AT_SKEW_WALL_MS = 5_000;
export const SENT_AT_SKEW_MIN_MS = MINUTE_MS;

/** The skew bound in sim ms at a clock speed (sim ms per wall ms; null on the virtual clock). */
export function sentAtSkewMaxMs(speed: number | null): number {
  return Math.max(SENT_AT_SKEW_MIN_MS, speed === null ? 0 : SENT_AT_SKEW_WALL_MS * speed);
}

export interface BrokerLimits {
  /** The service clock (sim ms), to judge sentAtMs by. */
  now: () => number;
  /** The scaled clock's current speed; null (or absent) on the virtual clock. */
  speed?: () => number | null;
}

type AuthError = Error & { returnCode: number };
const authError = (message: string, returnCode: number): AuthError =>
  Object.assign(new Error(message), { returnCode });

/**
 * What the broker knows of an authenticated client, kept on aedes' client object itself: every
 * check-in reads it twice (the publish check, then the routed count), and with a big fleet a
 * lookup by client, in a WeakMap or by id in the tracker's map, missed the CPU's caches each time.
 */
interface Session {
  role: Role;
  /** The client's counts in the flight tracker, once it is found tracked; null until then. */
  flight: ClientFlight | null;
  /** A device's sender, from BrokerCredentials.deviceSender; null for an enrollee. */
  sender: object | null;
}
const SESSION = Symbol('fleetsim.session');

/** A message as the publish check decoded it, with its sender (BrokerCredentials.deviceSender). */
export interface CheckedMessage {
  message: DeviceUp | EnrollRequest | null;
  /** Null for an enrollee's message. */
  sender: object | null;
}
type WithSession = Client & { [SESSION]?: Session };
const sessionOf = (client: Client | null | undefined): Session | undefined =>
  (client as WithSession | null | undefined)?.[SESSION];
/**
 * Who the in-process service's publishes come from: aedes stamps the packet and its 'publish'
 * event with it, so they are counted and tracked as the service's, as over a connection.
 */
const SERVICE_SENDER = { id: SERVICE_CLIENT_ID } as Client;
/** Starts the reason of a PUBLISH refused for its future send time, so it is counted apart. */
const FUTURE_PREFIX = 'sent in the future: ';

/**
 * The embedded MQTT broker (aedes) playing Intune's front door: per-client authentication, topic
 * ACLs and payload validation at the edge. A bad client is refused or dropped, counted and logged;
 * everyone else keeps being served.
 */
export class FleetBroker {
  readonly aedes: Aedes;
  readonly stats: BrokerStats = {
    connections: 0,
    published: 0,
    authRefused: 0,
    publishRejected: 0,
    futureRejected: 0,
    subscribeRefused: 0,
    acceptFailed: 0,
    oversizeCut: 0,
  };
  private readonly servers: Server[] = [];
  /**
   * What the publish check decoded last, its payload and its sender: the in-process service reads
   * a message the broker has just validated instead of parsing it again (aedes hands subscribers
   * the same payload, within the check's own routing of it). One entry, not a WeakMap of every
   * payload: an entry per message cost a lookup and an ephemeron write barrier, and made work for
   * every scavenge. A payload routed later than that (a will, say) is parsed again by the service:
   * the same message. Read once: each payload reaches the service once (its subscriptions do not
   * overlap).
   */
  private checkedPayload: Buffer | null = null;
  private readonly checked: CheckedMessage = { message: null, sender: null };
  /** The service's own counts in the flight tracker, once found (its sender has no session). */
  private serviceFlight: ClientFlight | null = null;

  /** aedes 1.x must be started before it serves (its persistence set-up is async). */
  static async create(
    credentials: BrokerCredentials,
    log: EventLog,
    tracker: FlightTracker | null = null,
    limits: BrokerLimits | null = null,
  ): Promise<FleetBroker> {
    const broker = new FleetBroker(credentials, log, tracker, limits);
    await broker.aedes.listen();
    return broker;
  }

  private constructor(
    private readonly credentials: BrokerCredentials,
    private readonly log: EventLog,
    private readonly tracker: FlightTracker | null,
    private readonly limits: BrokerLimits | null,
  ) {
    this.aedes = new Aedes({
      // aedes' default (100 deliveries at once, the rest queued in mqemitter) drains its queue by
      // recursion: a backlog of ~10,000 messages — 15,000 devices enrolling over TCP — overflowed
      // the stack and killed the service. Unbounded here; what waits is bounded per sender
      // (ServiceLink's MESSAGES_WAITING_MAX) and per client (aedes' inflight and queue limits).
      concurrency: 0,
      authenticate: (client, username, password, done) => {
        const who = this.resolveRole(client.id, username, password?.toString('utf8'));
        if ('error' in who) {
          this.stats.authRefused++;
          this.log.append({
            type: 'auth.refused',
            clientId: client.id,
            username: username ?? '',
            reason: who.error.message,
          });
          return done(who.error, false);
        }
        (client as WithSession)[SESSION] = { role: who.role, flight: null, sender: who.sender };
        done(null, true);
      },
      authorizePublish: (client, packet, done) => {
        const session = sessionOf(client);
        const problem = session
          ? this.checkPublish(session, packet.topic, packet.payload as Buffer)
          : 'unauthenticated';
        if (problem === null) return done(null);
        this.stats.publishRejected++;
        if (problem.startsWith(FUTURE_PREFIX)) this.stats.futureRejected++;
        this.log.append({
          type: 'wire.rejected',
          clientId: client?.id ?? '',
          topic: packet.topic,
          reason: problem,
        });
        if (client) this.routedFrom(client);
        done(new Error(problem));
      },
      authorizeSubscribe: (client, sub, done) => {
        const role = sessionOf(client)?.role;
        if (role && maySubscribe(role, sub.topic)) return done(null, sub);
        this.stats.subscribeRefused++;
        this.log.append({
          type: 'wire.rejected',
          clientId: client?.id ?? '',
          topic: sub.topic,
          reason: olderLayout(sub.topic)
            ? `subscription not allowed (${OLDER_LAYOUT_HINT})`
            : 'subscription not allowed',
        });
        done(null, null); // refused with SUBACK 0x80; the connection stays up
      },
      authorizeForward: (client, packet) => {
        const flight = this.flightOf(client);
        if (flight) this.tracker?.owe(flight); // untracked clients pass uncounted
        return packet;
      },
    });
    this.aedes.on('publish', (_packet, client) => {
      if (!client) return;
      this.stats.published++;
      this.routedFrom(client);
    });
    this.aedes.on('client', () => this.stats.connections++);
    this.aedes.on('clientDisconnect', (client) => {
      this.stats.connections--;
      this.tracker?.dropClient(client.id);
    });
    // A client's socket error must never take the broker down.
    this.aedes.on('clientError', () => {});
    this.aedes.on('connectionError', () => {});
  }

  /** The client's counts in the flight tracker, held in its session once found; null if untracked. */
  private flightOf(client: Client): ClientFlight | null {
    if (!this.tracker) return null;
    const session = sessionOf(client);
    if (!session) {
      if (client !== SERVICE_SENDER) return this.tracker.tracked(client.id);
      this.serviceFlight ??= this.tracker.tracked(client.id);
      return this.serviceFlight;
    }
    session.flight ??= this.tracker.tracked(client.id);
    return session.flight;
  }

  private routedFrom(client: Client): void {
    const flight = this.flightOf(client);
    if (flight) this.tracker?.routed(flight);
  }

  private resolveRole(
    clientId: string,
    username: string | undefined,
    password: string | undefined,
  ): { role: Role; sender: object | null } | { error: AuthError } {
    const bad = () => ({ error: authError('bad user name or password', 4) });
    if (username === ENROLL_USERNAME) {
      if (!clientId.startsWith(ENROLL_CLIENT_PREFIX))
        return { error: authError(`enrolling clients use ids starting ${ENROLL_CLIENT_PREFIX}`, 5) };
      return password === this.credentials.enrollmentToken
        ? { role: { kind: 'enrollee', clientId }, sender: null }
        : bad();
    }
    if (!username || username !== clientId)
      return { error: authError('a device connects with its channel id as client id and user name', 5) };
    const sender = password === undefined ? null : this.credentials.deviceSender(username, password);
    return sender ? { role: { kind: 'device', channelId: username }, sender } : bad();
  }

  /** Null when the publish may go on; otherwise what was wrong with it. */
  private checkPublish(session: Session, topic: string, payload: Buffer): string | null {
    const { role } = session;
    if (!mayPublish(role, topic))
      return `not allowed to publish on ${topic}${olderLayout(topic) ? ` (${OLDER_LAYOUT_HINT})` : ''}`;
    let message: DeviceUp | EnrollRequest;
    try {
      if (role.kind === 'device') message = decodeDeviceUp(topic, payload);
      else message = decode(enrollRequestSchema, topic, payload);
    } catch (e) {
      return (e as Error).message;
    }
    const problem = this.checkSentAt(topic, message.sentAtMs);
    if (problem === null) {
      this.checkedPayload = payload;
      this.checked.message = message;
      this.checked.sender = session.sender;
    }
    return problem;
  }

  /**
   * The message this payload was validated as on its way in, and its sender, if it was: to be read
   * at once (the same object holds the next message checked).
   */
  checkedMessage(payload: Buffer): Readonly<CheckedMessage> | undefined {
    if (payload !== this.checkedPayload || this.checked.message === null) return undefined;
    // Let go of the payload (and the read buffer it may be a slice of) once the service has it.
    this.checkedPayload = null;
    return this.checked;
  }

  /**
   * Delivers what is published on `topic` (MQTT wildcards) to the in-process service, with no
   * connection between them: the service's side of the wire without a socket, a stream and a
   * second parse of every message. Delivery is synchronous within the broker's routing of it.
   */
  subscribeService(topic: string, deliver: (topic: string, payload: Buffer) => void): Promise<void> {
    return new Promise((resolve, reject) =>
      this.aedes.subscribe(
        topic,
        (packet: AedesPublishPacket, callback: () => void) => {
          deliver(packet.topic, packet.payload as Buffer);
          callback();
        },
        (error?: Error) => (error ? reject(error) : resolve()),
      ),
    );
  }

  /** Publishes as the in-process service (QoS 1, as its connection did); `done` once routed. */
  publishAsService(topic: string, payload: Buffer, retain: boolean, done: (error?: Error) => void): void {
    const packet = { cmd: 'publish', topic, payload, qos: 1, retain, dup: false } as AedesPublishPacket;
    // aedes.publish(packet, client, done) takes the sender too; its type declarations omit it.
    const publish = this.aedes.publish as unknown as (
      p: AedesPublishPacket,
      c: Client,
      d: typeof done,
    ) => void;
    publish.call(this.aedes, packet, SERVICE_SENDER, done);
  }

  /** Refuses a stamp more than the allowed skew ahead of the service clock (none without limits). */
  private checkSentAt(topic: string, sentAtMs: number): string | null {
    if (!this.limits) return null;
    const nowMs = this.limits.now();
    const skewMaxMs = sentAtSkewMaxMs(this.limits.speed?.() ?? null);
    if (sentAtMs <= nowMs + skewMaxMs) return null;
    return `${FUTURE_PREFIX}${topic}: sentAtMs ${sentAtMs} is ${sentAtMs - nowMs} ms ahead of the service clock (at most ${skewMaxMs} ms)`;
  }

  /** Serves one connection over any duplex stream (in-memory fleets, tests). */
  handle(stream: Duplex): void {
    this.aedes.handle(stream);
  }

  /**
   * Listens on TCP, or TLS (mqtts) with `tls` given; resolves with the bound port (0 picks a free
   * one). May be called once for each: plain MQTT on one port, mqtts on another.
   */
  listen(
    port: number,
    host = '127.0.0.1',
    tls: { key: string; cert: string } | null = null,
  ): Promise<number> {
    return new Promise((resolve, reject) => {
      const serve = (socket: Socket) => {
        this.tracker?.socketOpened(); // the virtual clock's settling waits one turn more (flight-tracker.ts)
        socket.once('close', () => this.tracker?.socketClosed());
        const holder: { client: Client | null } = { client: null };
        guardPacketSize(
          socket,
          () => (sessionOf(holder.client) ? PACKET_BYTES_MAX : CONNECT_BYTES_MAX),
          (packetBytes, limitBytes) => this.oversize(holder.client, packetBytes, limitBytes),
        );
        holder.client = this.aedes.handle(socket);
      };
      const server = tls ? createTlsServer({ key: tls.key, cert: tls.cert }, serve) : createServer(serve);
      // A failed TLS handshake is the client's problem; it must not reach the broker.
      server.on('tlsClientError', () => {});
      server.once('error', reject);
      server.listen(port, host, () => {
        // From now on an error is a connection the socket could not accept (out of descriptors, say):
        // that device retries; the broker and every connected device go on.
        server.off('error', reject);
        server.on('error', () => this.stats.acceptFailed++);
        this.servers.push(server);
        const address = server.address();
        resolve(typeof address === 'object' && address ? address.port : port);
      });
    });
  }

  private oversize(client: Client | null, packetBytes: number | null, limitBytes: number): void {
    this.stats.oversizeCut++;
    const authenticated = sessionOf(client) !== undefined;
    this.log.append({
      type: 'wire.rejected',
      clientId: client?.id ?? '',
      topic: '',
      reason:
        packetBytes === null
          ? 'malformed packet length: connection closed'
          : `packet of ${packetBytes} bytes ${authenticated ? '' : 'before authentication '}is over the ${limitBytes}-byte limit: connection closed`,
    });
  }

  /**
   * Drops a client, for example one whose credentials were just revoked. Counted in flight until
   * aedes has let it go: it finishes a turn of the event loop later (its unsubscribing), and a
   * virtual clock that moved on before then would meet the client still registered.
   */
  disconnect(clientId: string): void {
    // aedes keeps connected clients by id; its type declarations do not list the map.
    const client = (this.aedes as unknown as { clients: Record<string, Client | undefined> }).clients[
      clientId
    ];
    if (!client) return;
    this.tracker?.begin();
    client.close(() => this.tracker?.end());
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.aedes.close(() => resolve()));
    for (const server of this.servers.splice(0))
      await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
