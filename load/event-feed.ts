import WebSocket from 'ws';
import type { FleetEvent } from '../sim/events.ts';
import { OBSERVED_TYPES } from './tally.ts';

/**
 * The service's event log as the load run reads it: the WebSocket stream at /sim/events/stream,
 * filtered to the events it counts. The same for the embedded service and a remote one.
 */
export async function openEventFeed(
  api: string,
  token: string,
  onEvent: (e: FleetEvent) => void,
  onLost: (why: string) => void,
): Promise<{ close(): void }> {
  const url = `${api.replace(/^http/, 'ws')}/sim/events/stream?type=${OBSERVED_TYPES.join(',')}`;
  const ws = new WebSocket(url, { headers: { authorization: `Bearer ${token}` } });
  let closing = false;
  await new Promise<void>((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) =>
      reject(new Error(`the event stream at ${url} answered HTTP ${res.statusCode} (check --token)`)),
    );
  });
  ws.on('message', (data) => {
    const e = JSON.parse(String(data)) as FleetEvent | { type: 'stream.open' };
    if (e.type !== 'stream.open') onEvent(e as FleetEvent);
  });
  ws.on('close', (code, reason) => {
    if (!closing)
      onLost(`the event stream closed (${code} ${String(reason)}): figures after this are incomplete`);
  });
  ws.on('error', () => {});
  return {
    close() {
      closing = true;
      ws.close();
    },
  };
}
