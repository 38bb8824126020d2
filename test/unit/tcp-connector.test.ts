import { createServer, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { freeLowPort } from '../../tools/ports.ts';
import { TCP_HANDSHAKES_MAX, tcpConnector } from '../../transport/connector.ts';

describe('TCP connections', () => {
  it(`open at most ${TCP_HANDSHAKES_MAX} handshakes at once; the rest wait their turn`, async () => {
    // A broker that accepts and never answers: every handshake stays open until its socket closes.
    const sockets: Socket[] = [];
    const server = createServer((s) => sockets.push(s));
    const port = await freeLowPort();
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    try {
      const connect = tcpConnector(`mqtt://127.0.0.1:${port}`);
      const total = TCP_HANDSHAKES_MAX + 30;
      const outcomes = Array.from({ length: total }, (_, i) =>
        connect({ clientId: `c${i}`, username: `c${i}`, password: 'x', reconnect: false }).then(
          () => 'connected',
          () => 'failed',
        ),
      );
      await expect.poll(() => sockets.length).toBe(TCP_HANDSHAKES_MAX);
      // One handshake ends (the broker drops it): exactly one waiting connect starts.
      sockets[0]!.destroy();
      await expect.poll(() => sockets.length).toBe(TCP_HANDSHAKES_MAX + 1);
      // Dropping every connection lets the rest through, each failing as it should.
      for (let closed = 1; closed < total; closed++) {
        await expect.poll(() => sockets.length > closed).toBe(true);
        sockets[closed]!.destroy();
      }
      expect(new Set(await Promise.all(outcomes))).toEqual(new Set(['failed']));
    } finally {
      server.close();
    }
  }, 30_000);
});
