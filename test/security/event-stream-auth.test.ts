import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { STREAM_CLIENTS_MAX } from '../../broker/http/event-stream.ts';
import type { Serving } from '../../cli/serve.ts';
import { startServingOnFreePorts } from '../helpers/free-ports.ts';

/**
 * Issue 9: the WebSocket event stream needs the token whatever the path looks like, never echoes
 * it, and takes a bounded number of clients.
 */
let serving: Serving;
let ws: string;
beforeAll(async () => {
  serving = await startServingOnFreePorts({ fleet: { cohorts: [{ platform: 'ios', count: 1 }] } });
  ws = serving.httpUrl.replace('http', 'ws');
});
afterAll(() => serving.stop());

/** The HTTP status the upgrade was refused with, or 101 and the first message when it was taken. */
function upgrade(
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; first?: any; socket?: WebSocket }> {
  return new Promise((resolve) => {
    const socket = new WebSocket(`${ws}${path}`, { headers });
    socket.once('unexpected-response', (_req, res) => resolve({ status: res.statusCode ?? 0 }));
    socket.once('message', (data) => resolve({ status: 101, first: JSON.parse(String(data)), socket }));
    socket.once('error', () => resolve({ status: 0 }));
  });
}

describe('the event stream', () => {
  it.each([
    '/sim/events/stream',
    '/sim/%65vents/stream',
    '/%73im/events/stream',
    '//sim/events/stream',
    '/sim/events/stream?access_token=wrong',
    '/nothing',
  ])('%s without the token: 401', async (path) => {
    expect((await upgrade(path)).status).toBe(401);
    expect((await upgrade(path, { authorization: 'Bearer wrong' })).status).toBe(401);
  });

  it('with the token: the encoded path is the stream; another path is 404; the token is not echoed', async () => {
    const opened = await upgrade(`/sim/%65vents/stream?type=device.checkIn&access_token=${serving.token}`);
    expect(opened.status).toBe(101);
    expect(opened.first).toMatchObject({ type: 'stream.open', filter: { type: 'device.checkIn' } });
    expect(JSON.stringify(opened.first)).not.toContain(serving.token);
    opened.socket!.close();
    expect((await upgrade('/sim/events', { authorization: `Bearer ${serving.token}` })).status).toBe(404);
  });

  it(`takes at most ${STREAM_CLIENTS_MAX} clients at once; the next is 503`, async () => {
    const auth = { authorization: `Bearer ${serving.token}` };
    const open = await Promise.all(
      Array.from({ length: STREAM_CLIENTS_MAX }, () => upgrade('/sim/events/stream', auth)),
    );
    expect(open.every((o) => o.status === 101)).toBe(true);
    expect((await upgrade('/sim/events/stream', auth)).status).toBe(503);
    for (const o of open) o.socket!.close();
  });
});
