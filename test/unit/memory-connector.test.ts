import type { Duplex } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { MEMORY_HANDSHAKES_MAX, memoryConnector } from '../../transport/connector.ts';

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('in-memory connections', () => {
  it(`open at most ${MEMORY_HANDSHAKES_MAX} handshakes at once; the rest wait their turn in order`, async () => {
    // A broker that never answers: every handshake stays open until its stream is destroyed.
    const handed: Duplex[] = [];
    const connect = memoryConnector((stream) => handed.push(stream));
    const total = MEMORY_HANDSHAKES_MAX + 20;
    const outcomes = Array.from({ length: total }, (_, i) =>
      connect({ clientId: `c${i}`, username: `c${i}`, password: 'x', reconnect: false }).then(
        () => 'connected',
        (e: Error) => e.message,
      ),
    );
    await turn();
    expect(handed.length).toBe(MEMORY_HANDSHAKES_MAX);
    // One handshake ends (its connection drops): exactly one waiting connect starts.
    handed[0]!.destroy();
    await outcomes[0];
    await turn();
    expect(handed.length).toBe(MEMORY_HANDSHAKES_MAX + 1);
    // Ending the rest lets every connect through, each failing with the reason it failed for.
    for (let closed = 1; closed < total; closed++) {
      while (handed.length <= closed) await turn();
      handed[closed]!.destroy();
    }
    const results = await Promise.all(outcomes);
    expect(new Set(results)).toEqual(new Set(['the connection closed before the broker answered']));
    expect(handed.length).toBe(total);
  });
});
