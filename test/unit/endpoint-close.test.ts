import { createServer } from 'node:net';
import { Aedes } from 'aedes';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../sim/clock/virtual-clock.ts';
import { freeLowPort } from '../../tools/ports.ts';
import { tcpConnector } from '../../transport/connector.ts';
import { WireEndpoint } from '../../transport/endpoint.ts';

/**
 * A graceful close sends what was published first. At QoS 0 mqtt.js calls a publish done while its
 * bytes are still corked until the next tick: closing the connection right then lost the message.
 */
describe('a wire endpoint closing gracefully over TCP', () => {
  it('delivers the last message published before it, at QoS 0 as at QoS 1', async () => {
    const aedes = new Aedes();
    await aedes.listen();
    const server = createServer(aedes.handle);
    const port = await freeLowPort();
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    const received: string[] = [];
    await new Promise<void>((resolve) =>
      aedes.subscribe(
        'close/#',
        (packet, done) => {
          received.push(packet.topic);
          done();
        },
        () => resolve(),
      ),
    );
    try {
      const connect = tcpConnector(`mqtt://127.0.0.1:${port}`);
      expect(connect.qos).toBe(0);
      const clock = new VirtualClock(0);
      for (const qos of [0, 1] as const) {
        const client = await connect({
          clientId: `c${qos}`,
          username: `c${qos}`,
          password: 'x',
          reconnect: false,
        });
        const endpoint = new WireEndpoint(client, `c${qos}`, clock, null, qos);
        endpoint.publish(`close/qos${qos}`, { type: 'ack', commandId: 'x' });
        await endpoint.close(true);
      }
      await expect.poll(() => received.sort()).toEqual(['close/qos0', 'close/qos1']);
    } finally {
      server.close();
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
    }
  });
});
