import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PacketBytes } from '../../transport/packet-bytes.ts';

/** bl's BufferList, which mqtt-packet's parser was written against: the oracle. */
interface BlList {
  length: number;
  append(b: Uint8Array): unknown;
  consume(n: number): unknown;
  readUInt8(o: number): number;
  readUInt16BE(o: number): number;
  readUInt32BE(o: number): number;
  slice(s?: number, e?: number): Buffer;
  toString(enc?: BufferEncoding, s?: number, e?: number): string;
}
const requireFromMqttPacket = createRequire(createRequire(import.meta.url).resolve('mqtt-packet'));
const { BufferList } = requireFromMqttPacket('bl') as { BufferList: new () => BlList };

type Step =
  | { op: 'append'; bytes: number[]; view: boolean }
  | { op: 'consume'; n: number }
  | { op: 'read'; width: 1 | 2 | 4; at: number }
  | { op: 'slice' | 'text'; start: number | undefined; end: number | undefined };

const index = fc.integer({ min: -12, max: 40 });
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    op: fc.constant('append' as const),
    bytes: fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 12 }),
    view: fc.boolean(),
  }),
  fc.record({ op: fc.constant('consume' as const), n: fc.integer({ min: -2, max: 20 }) }),
  fc.record({
    op: fc.constant('read' as const),
    width: fc.constantFrom(1 as const, 2 as const, 4 as const),
    at: index,
  }),
  fc.record({
    op: fc.constantFrom('slice' as const, 'text' as const),
    start: fc.option(index, { nil: undefined }),
    end: fc.option(index, { nil: undefined }),
  }),
);

/**
 * A range that ends before it starts (after counting negatives from the end). The parser asks for
 * one only when a packet lies about its own length (a QoS 1 publish too short for its message id);
 * the packet then ends in the newest buffer, where bl's answer is empty too. Elsewhere bl's answer
 * is an accident of Buffer.slice's own negative end (a byte from the end of one buffer), and
 * PacketBytes' is nothing.
 */
function reversed(s: { start: number | undefined; end: number | undefined }, length: number): boolean {
  const at = (x: number | undefined, otherwise: number) =>
    x === undefined ? otherwise : x < 0 ? x + length : x;
  return at(s.start, 0) > at(s.end, length);
}

/** What a step gives, or that it threw. */
function run(list: BlList | PacketBytes, s: Step): unknown {
  try {
    switch (s.op) {
      case 'append': {
        // A Uint8Array view into a larger buffer, as well as plain Buffers.
        const backing = Buffer.from([9, 9, ...s.bytes, 9]);
        list.append(
          s.view
            ? new Uint8Array(backing.buffer, backing.byteOffset + 2, s.bytes.length)
            : Buffer.from(s.bytes),
        );
        return list.length;
      }
      case 'consume':
        list.consume(s.n);
        return list.length;
      case 'read':
        return s.width === 1
          ? list.readUInt8(s.at)
          : s.width === 2
            ? list.readUInt16BE(s.at)
            : list.readUInt32BE(s.at);
      case 'slice':
        if (reversed(s, list.length)) return 'reversed';
        return [...list.slice(s.start, s.end)];
      case 'text':
        if (reversed(s, list.length)) return 'reversed';
        return list.toString('latin1', s.start, s.end);
    }
  } catch {
    return 'threw';
  }
}

describe("PacketBytes: the parser's unparsed bytes (transport/packet-bytes.ts)", () => {
  it("answers every append, consume, read, slice and text as bl's BufferList does", () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        const ours = new PacketBytes();
        const bl = new BufferList();
        for (const s of steps) expect(run(ours, s), JSON.stringify(s)).toEqual(run(bl, s));
      }),
      { numRuns: 2000, seed: 7 },
    );
  });

  it('decodes UTF-8 text cut across buffers as bl does', () => {
    const text = Buffer.from('aé€😀z');
    for (let cut = 0; cut <= text.length; cut++) {
      const ours = new PacketBytes().append(text.subarray(0, cut)).append(text.subarray(cut));
      const bl = new BufferList();
      bl.append(text.subarray(0, cut));
      bl.append(text.subarray(cut));
      for (let start = 0; start <= text.length; start++)
        expect(ours.toString('utf8', start, text.length), `cut ${cut}, from ${start}`).toBe(
          bl.toString('utf8', start, text.length),
        );
    }
  });

  it('slices a view of the buffer that holds the bytes, and copies only bytes that span two', () => {
    const first = Buffer.alloc(4); // a buffer of its own, outside the shared pool
    first.set([1, 2, 3, 4]);
    const list = new PacketBytes().append(first).append(Buffer.from([5, 6]));
    list.consume(1);
    const inOne = list.slice(0, 3);
    expect([...inOne]).toEqual([2, 3, 4]);
    expect(inOne.buffer).toBe(first.buffer); // a view, not a copy
    const across = list.slice(2, 5);
    expect([...across]).toEqual([4, 5, 6]);
    expect(across.buffer).not.toBe(first.buffer);
    expect(list.toString('latin1', 0, 2)).toBe('\u0002\u0003');
    // A buffer read to its end is let go at once: a parsed packet's bytes are not kept until the next.
    const held = () => (list as unknown as { bufs: Buffer[] }).bufs.length;
    list.consume(3);
    expect(held()).toBe(1);
    list.consume(2);
    expect([held(), list.length]).toEqual([0, 0]);
  });
});
