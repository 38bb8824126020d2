import { createServer, type Server } from 'node:net';
import type { Duplex } from 'node:stream';
import { Aedes, type Client } from 'aedes';
import type { FlightTracker } from '../../sim/clock/flight-tracker.ts';
import type { EventLog } from '../../sim/events.ts';
import { decode, deviceUpSchema, enrollRequestSchema } from '../../sim/wire/schemas.ts';
import {
  ENROLL_CLIENT_PREFIX,
  ENROLL_USERNAME,
  mayPublish,
  maySubscribe,
  type Role,
  SERVICE_CLIENT_ID,
  SERVICE_USERNAME,
} from './acl.ts';

/** Credentials the broker checks; the service owns them. */
export interface BrokerCredentials {
  serviceToken: string;
  enrollmentToken: string;
  /** Whether a device's channel credentials are valid now. */
  deviceValid(channelId: string, token: string): boolean;
}

export interface BrokerStats {
  connections: number;
  authRefused: number;
  publishRejected: number;
  subscribeRefused: number;
}

type AuthError = Error & { returnCode: number };
const authError = (message: string, returnCode: number): AuthError =>
  Object.assign(new Error(message), { returnCode });

const roles = new WeakMap<Client, Role>();

/**
 * The embedded MQTT broker (aedes) playing Intune's front door: per-client authentication, topic
 * ACLs and payload validation at the edge. A bad client is refused or dropped, counted and logged;
 * everyone else keeps being served.
 */
export class FleetBroker {
  readonly aedes: Aedes;
  readonly stats: BrokerStats = { connections: 0, authRefused: 0, publishRejected: 0, subscribeRefused: 0 };
  private server: Server | null = null;

  /** aedes 1.x must be started before it serves (its persistence set-up is async). */
  static async create(
    credentials: BrokerCredentials,
    log: EventLog,
    tracker: FlightTracker | null = null,
  ): Promise<FleetBroker> {
    const broker = new FleetBroker(credentials, log, tracker);
    await broker.aedes.listen();
    return broker;
  }

  private constructor(
    private readonly credentials: BrokerCredentials,
    private readonly log: EventLog,
    private readonly tracker: FlightTracker | null = null,
  ) {
    this.aedes = new Aedes({
      authenticate: (client, username, password, done) => {
        const role = this.resolveRole(client.id, username, password?.toString('utf8'));
        if ('error' in role) {
          this.stats.authRefused++;
          this.log.append({
            type: 'auth.refused',
            clientId: client.id,
            username: username ?? '',
            reason: role.error.message,
          });
          return done(role.error, false);
        }
        roles.set(client, role);
        done(null, true);
      },
      authorizePublish: (client, packet, done) => {
        const role = client ? roles.get(client) : undefined;
        const problem = role
          ? this.checkPublish(role, packet.topic, packet.payload as Buffer)
          : 'unauthenticated';
        if (problem === null) return done(null);
        this.stats.publishRejected++;
        this.log.append({
          type: 'wire.rejected',
          clientId: client?.id ?? '',
          topic: packet.topic,
          reason: problem,
        });
        if (this.tracker?.isTracked(client?.id)) this.tracker.routed(client!.id);
        done(new Error(problem));
      },
      authorizeSubscribe: (client, sub, done) => {
        const role = client ? roles.get(client) : undefined;
        if (role && maySubscribe(role, sub.topic)) return done(null, sub);
        this.stats.subscribeRefused++;
        this.log.append({
          type: 'wire.rejected',
          clientId: client?.id ?? '',
          topic: sub.topic,
          reason: 'subscription not allowed',
        });
        done(null, null); // refused with SUBACK 0x80; the connection stays up
      },
      authorizeForward: (client, packet) => {
        if (this.tracker?.isTracked(client.id)) this.tracker.owe(client.id);
        return packet;
      },
    });
    this.aedes.on('publish', (_packet, client) => {
      if (client && this.tracker?.isTracked(client.id)) this.tracker.routed(client.id);
    });
    this.aedes.on('client', () => this.stats.connections++);
    this.aedes.on('clientDisconnect', (client) => {
      this.stats.connections--;
      if (this.tracker?.isTracked(client.id)) this.tracker.dropClient(client.id);
    });
    // A client's socket error must never take the broker down.
    this.aedes.on('clientError', () => {});
    this.aedes.on('connectionError', () => {});
  }

  private resolveRole(
    clientId: string,
    username: string | undefined,
    password: string | undefined,
  ): Role | { error: AuthError } {
    const bad = () => ({ error: authError('bad user name or password', 4) });
    if (username === SERVICE_USERNAME) {
      if (clientId !== SERVICE_CLIENT_ID)
        return { error: authError('the service connects as fleetsim-service', 5) };
      return password === this.credentials.serviceToken ? { kind: 'service' } : bad();
    }
    if (username === ENROLL_USERNAME) {
      if (!clientId.startsWith(ENROLL_CLIENT_PREFIX))
        return { error: authError(`enrolling clients use ids starting ${ENROLL_CLIENT_PREFIX}`, 5) };
      return password === this.credentials.enrollmentToken ? { kind: 'enrollee', clientId } : bad();
    }
    if (!username || username !== clientId)
      return { error: authError('a device connects with its channel id as client id and user name', 5) };
    return password !== undefined && this.credentials.deviceValid(username, password)
      ? { kind: 'device', channelId: username }
      : bad();
  }

  /** Null when the publish may go on; otherwise what was wrong with it. */
  private checkPublish(role: Role, topic: string, payload: Buffer): string | null {
    if (!mayPublish(role, topic)) return `not allowed to publish on ${topic}`;
    try {
      if (role.kind === 'device') decode(deviceUpSchema, topic, payload);
      else if (role.kind === 'enrollee') decode(enrollRequestSchema, topic, payload);
    } catch (e) {
      return (e as Error).message;
    }
    return null;
  }

  /** Serves one connection over any duplex stream (in-memory fleets, tests). */
  handle(stream: Duplex): void {
    this.aedes.handle(stream);
  }

  /** Listens on TCP; resolves with the bound port (0 picks a free one). */
  listen(port: number, host = '127.0.0.1'): Promise<number> {
    return new Promise((resolve, reject) => {
      const server = createServer((socket) => this.aedes.handle(socket));
      server.once('error', reject);
      server.listen(port, host, () => {
        this.server = server;
        const address = server.address();
        resolve(typeof address === 'object' && address ? address.port : port);
      });
    });
  }

  /** Drops a client, for example one whose credentials were just revoked. */
  disconnect(clientId: string): void {
    // aedes keeps connected clients by id; its type declarations do not list the map.
    (this.aedes as unknown as { clients: Record<string, Client | undefined> }).clients[clientId]?.close();
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.aedes.close(() => resolve()));
    if (this.server) await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }
}
