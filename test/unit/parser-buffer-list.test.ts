import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mqttPacketOf } from '../helpers/mqtt-packet.ts';

describe.each(['mqtt', 'aedes'] as const)('the packet parser inside %s', (owner) => {
  const m = mqttPacketOf(owner);
  const publish = (topic: string) =>
    m.generate({
      cmd: 'publish',
      topic,
      payload: Buffer.from(`{"to":"${topic}"}`),
      qos: 0,
      retain: false,
      dup: false,
    });

  it('keeps unparsed bytes in a plain buffer list, not a stream', () => {
    const list = m.parser()._list;
    expect('_readableState' in list || '_writableState' in list).toBe(false);
    expect(list.constructor.name).toBe('PacketBytes');
  });

  it('parses any run of packets, whatever the reads it arrives in', () => {
    const packet = fc.oneof(
      fc
        .record({
          topic: fc.stringMatching(/^[a-z0-9/]{1,40}$/),
          payload: fc.uint8Array({ maxLength: 300 }), // past 127 bytes a packet's length takes two
          qos: fc.constantFrom(0, 1),
          messageId: fc.integer({ min: 1, max: 65_535 }),
        })
        .map(({ topic, payload, qos, messageId }) => ({
          cmd: 'publish',
          topic,
          payload: Buffer.from(payload),
          qos,
          retain: false,
          dup: false,
          ...(qos > 0 ? { messageId } : {}),
        })),
      fc.integer({ min: 1, max: 65_535 }).map((messageId) => ({ cmd: 'puback', messageId })),
      fc.constant({ cmd: 'pingreq' }),
    );
    fc.assert(
      fc.property(fc.array(packet, { minLength: 1, maxLength: 8 }), fc.array(fc.nat()), (packets, cuts) => {
        const bytes = Buffer.concat(packets.map((p) => m.generate(p)));
        const at = [...new Set(cuts.map((c) => c % bytes.length))].sort((a, b) => a - b);
        const parser = m.parser();
        const got: Record<string, unknown>[] = [];
        parser.on('packet', (p) => got.push({ ...p }));
        parser.on('error', (e) => {
          throw e;
        });
        let from = 0;
        for (const to of [...at, bytes.length]) {
          parser.parse(bytes.subarray(from, to));
          from = to;
        }
        expect(
          got.map(({ cmd, topic, payload, qos, messageId }) => ({ cmd, topic, payload, qos, messageId })),
        ).toEqual(
          packets.map((p: Record<string, unknown>) => ({
            cmd: p.cmd,
            topic: p.topic ?? null,
            payload: p.payload ?? null,
            qos: p.qos ?? 0,
            messageId: p.messageId,
          })),
        );
      }),
      { numRuns: 300, seed: 3 },
    );
  });

  it('still parses packets cut across reads, and goes on after a malformed one with a plain list', () => {
    const parser = m.parser();
    const topics: string[] = [];
    const errors: string[] = [];
    parser.on('packet', (p) => topics.push(p.topic ?? `${p.cmd}`));
    parser.on('error', (e) => errors.push(e.message));
    const two = Buffer.concat([publish('a/1'), publish('b/2')]);
    parser.parse(two.subarray(0, 7));
    parser.parse(two.subarray(7));
    parser.parse(Buffer.from([0x00, 0x00])); // packet type 0 is reserved: an error, then a reset
    parser.parse(publish('c/3'));
    expect(topics).toEqual(['a/1', 'b/2', 'c/3']);
    expect(errors).toHaveLength(1);
    expect(parser._list.constructor.name).toBe('PacketBytes');
  });
});
