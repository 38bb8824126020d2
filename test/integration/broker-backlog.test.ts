import { connect, type Server } from 'node:net';
import { describe, expect, it } from 'vitest';
import { FleetBroker } from '../../broker/mqtt/broker.ts';
import { EventLog } from '../../sim/events.ts';
import { freeLowPort } from '../../tools/ports.ts';

interface MqEmitter {
  on(topic: string, handler: (message: unknown, done: () => void) => void): void;
  emit(message: { topic: string; payload: Buffer }, done?: () => void): void;
  readonly length: number;
}

/**
 * A backlog of deliveries must drain without recursion. With aedes' default (100 deliveries at
 * once, the rest queued), freeing the slots drained the queue one nested call per message: 15,000
 * devices enrolling over TCP overflowed the stack and killed `fleetsim serve` (seen in the tcp bench).
 */
describe('the broker under a backlog of deliveries', () => {
  it('delivers 50,000 messages queued behind 100 slow deliveries, with no stack overflow', async () => {
    const broker = await FleetBroker.create(
      { enrollmentToken: 'e', deviceSender: () => null },
      new EventLog(() => 0),
    );
    try {
      // aedes' types do not show its emitter; mqemitter's emit/on are what routes every PUBLISH.
      const mq = (broker.aedes as unknown as { mq: MqEmitter }).mq;
      const slow: (() => void)[] = [];
      mq.on('slow/#', (_message: unknown, done: () => void) => slow.push(done));
      let delivered = 0;
      for (let i = 0; i < 100; i++) mq.emit({ topic: 'slow/x', payload: Buffer.alloc(0) });
      for (let i = 0; i < 50_000; i++)
        mq.emit({ topic: 'nobody/listens', payload: Buffer.alloc(0) }, () => delivered++);
      for (const done of slow.splice(0)) done();
      expect(delivered).toBe(50_000);
      expect(mq.length).toBe(0);
    } finally {
      await broker.close();
    }
  });

  it('counts a connection the listening socket could not accept, and goes on serving', async () => {
    const broker = await FleetBroker.create(
      { enrollmentToken: 'e', deviceSender: () => null },
      new EventLog(() => 0),
    );
    try {
      const port = await broker.listen(await freeLowPort());
      const server = (broker as unknown as { servers: Server[] }).servers[0]!;
      server.emit('error', Object.assign(new Error('accept EMFILE'), { code: 'EMFILE' }));
      server.emit('error', Object.assign(new Error('accept EMFILE'), { code: 'EMFILE' }));
      expect(broker.stats.acceptFailed).toBe(2);
      const socket = connect(port, '127.0.0.1');
      await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
      socket.destroy();
    } finally {
      await broker.close();
    }
  });
});
