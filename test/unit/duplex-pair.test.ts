import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { duplexPair } from '../../transport/duplex-pair.ts';

/** The in-memory connection of virtual runs: what one side writes, the other reads, in order. */
describe('duplexPair', () => {
  it('delivers a corked packet as one chunk (mqtt-packet writes a packet in pieces)', async () => {
    const [a, b] = duplexPair();
    const chunks: string[] = [];
    b.on('data', (c: Buffer) => chunks.push(c.toString()));
    a.cork();
    a.write(Buffer.from([0x30]));
    a.write('topic');
    a.write(Buffer.from('payload'));
    process.nextTick(() => a.uncork());
    await new Promise((r) => setImmediate(r));
    expect(chunks).toEqual(['\u0030topicpayload']);
  });

  it('delivers uncorked writes in order, in both directions', async () => {
    const [a, b] = duplexPair();
    const atB: string[] = [];
    const atA: string[] = [];
    b.on('data', (c: Buffer) => atB.push(c.toString()));
    a.on('data', (c: Buffer) => atA.push(c.toString()));
    a.write('one');
    a.write('two');
    b.write('back');
    await new Promise((r) => setImmediate(r));
    expect(atB.join('|')).toBe('one|two');
    expect(atA).toEqual(['back']);
  });

  it('ending one side ends the other side’s reading; destroying one destroys the other', async () => {
    const [a, b] = duplexPair();
    b.resume();
    a.end();
    await once(b, 'end');
    const [c, d] = duplexPair();
    c.destroy();
    await once(d, 'close');
    expect(d.destroyed).toBe(true);
  });
});
