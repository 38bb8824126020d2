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
    expect(list.constructor.name).toBe('BufferList');
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
    expect(parser._list.constructor.name).toBe('BufferList');
  });
});
