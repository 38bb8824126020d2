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

  it('gives each packet a buffer of its own, text written in it as UTF-8 once', async () => {
    const [a, b] = duplexPair();
    const chunks: Buffer[] = [];
    b.on('data', (c: Buffer) => chunks.push(c));
    a.cork();
    a.write(Buffer.from([0x30, 0x0b]));
    a.write('t/ä'); // a string goes through as text, not as a pooled buffer of its own
    a.write('{"é":1}', 'utf8');
    process.nextTick(() => a.uncork());
    await new Promise((r) => setImmediate(r));
    a.write('latïn', 'latin1'); // an uncorked write, with its own encoding
    await new Promise((r) => setImmediate(r));
    expect(chunks.map((c) => c.toString('latin1'))).toEqual([
      `\u0030\u000b${Buffer.from('t/ä{"é":1}').toString('latin1')}`,
      'latïn',
    ]);
    // Not a slice of Node's shared 8 KiB pool: a payload the parser slices out of it and keeps
    // holds this packet's bytes, not a slab of other packets' bytes.
    for (const c of chunks) expect(c.buffer.byteLength).toBe(c.length);
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
