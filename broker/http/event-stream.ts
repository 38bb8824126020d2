import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { EventLog } from '../../sim/events.ts';
import { type AdminIdentity, checkBearer } from './auth.ts';
import { eventFilter } from './sim-routes.ts';

/** Upper bound on one client's unsent bytes; a client that cannot keep up is dropped, not waited for. */
const BUFFERED_BYTES_MAX = 8 * 1024 * 1024;
/** Stream clients at once; one more is answered 503. */
export const STREAM_CLIENTS_MAX = 64;
/** Clients have nothing to say on the stream; a larger frame closes it (ws answers 1009). */
const CLIENT_FRAME_BYTES_MAX = 1024;

const refuse = (socket: Duplex, status: string) =>
  socket.end(`HTTP/1.1 ${status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);

/** The upgrade's path as a router would see it: percent-decoded; null if it cannot be decoded. */
function decodedPath(pathname: string): string | null {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return null;
  }
}

/**
 * The event log as a WebSocket stream at /sim/events/stream, filterable like /sim/events
 * (?deviceId=…&type=a,b). The bearer token comes in the Authorization header or, for browsers,
 * as ?access_token=….
 */
export function attachEventStream(
  server: Server,
  log: EventLog,
  admin: AdminIdentity,
  now: () => number,
): WebSocketServer {
  const wss = new WebSocketServer({ noServer: true, maxPayload: CLIENT_FRAME_BYTES_MAX });
  server.on('upgrade', (req, socket: Duplex, head) => {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      refuse(socket, '400 Bad Request');
      return;
    }
    const query = Object.fromEntries(url.searchParams);
    // The token first, whatever the path: no upgrade tells an unauthenticated caller anything.
    try {
      checkBearer(
        req.headers.authorization ?? (query.access_token ? `Bearer ${query.access_token}` : undefined),
        admin,
      );
    } catch {
      refuse(socket, '401 Unauthorized');
      return;
    }
    if (decodedPath(url.pathname) !== '/sim/events/stream') {
      refuse(socket, '404 Not Found');
      return;
    }
    if (wss.clients.size >= STREAM_CLIENTS_MAX) {
      refuse(socket, '503 Service Unavailable');
      return;
    }
    let keep: ReturnType<typeof eventFilter>;
    try {
      keep = eventFilter({ ...query, to: undefined }, Number.POSITIVE_INFINITY);
    } catch {
      refuse(socket, '400 Bad Request');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const off = log.on((event) => {
        if (!keep(event)) return;
        if (ws.bufferedAmount > BUFFERED_BYTES_MAX) {
          ws.close(1013, 'too slow: events are being dropped');
          return;
        }
        ws.send(JSON.stringify(event));
      });
      ws.on('close', off);
      const { access_token: _secret, ...filter } = query; // the token is never echoed
      ws.send(JSON.stringify({ type: 'stream.open', atMs: now(), filter }));
    });
  });
  return wss;
}
