import type { Server } from 'node:http';
import { WebSocketServer } from 'ws';
import type { EventLog } from '../../sim/events.ts';
import { type AdminIdentity, checkBearer } from './auth.ts';
import { eventFilter } from './sim-routes.ts';

/** Upper bound on one client's unsent bytes; a client that cannot keep up is dropped, not waited for. */
const BUFFERED_BYTES_MAX = 8 * 1024 * 1024;

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
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== '/sim/events/stream') {
      socket.destroy();
      return;
    }
    const query = Object.fromEntries(url.searchParams);
    try {
      checkBearer(
        req.headers.authorization ?? (query.access_token ? `Bearer ${query.access_token}` : undefined),
        admin,
      );
    } catch {
      socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    let keep: ReturnType<typeof eventFilter>;
    try {
      keep = eventFilter({ ...query, to: undefined }, Number.POSITIVE_INFINITY);
    } catch {
      socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n');
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
      ws.send(JSON.stringify({ type: 'stream.open', atMs: now(), filter: query }));
    });
  });
  return wss;
}
