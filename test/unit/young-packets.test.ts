import { describe, expect, it } from 'vitest';
import {
  type MqttPacket,
  mqttPacketOf,
  type ParsedPacket as Packet,
  type PacketParser as Parser,
} from '../helpers/mqtt-packet.ts';

const publish = (m: MqttPacket, topic: string, text: string) =>
  m.generate({ cmd: 'publish', topic, payload: Buffer.from(text), qos: 0, retain: false, dup: false });

describe.each(['mqtt', 'aedes'] as const)('the packet parser inside %s', (owner) => {
  const m = mqttPacketOf(owner);
  const collect = (parser: Parser) => {
    const got: Packet[] = [];
    parser.on('packet', (p) => got.push(p));
    return got;
  };

  it('fills a packet made by the parse that received it, not one left waiting since the last packet', () => {
    const parser = m.parser();
    const got = collect(parser);
    parser.parse(publish(m, 'a/b', 'first'));
    const waiting = parser.packet; // made right after "first" was emitted, empty since
    expect(waiting.cmd).toBeNull();
    parser.parse(publish(m, 'a/b', 'second'));
    expect(got).toHaveLength(2);
    expect(got[1]).not.toBe(waiting);
    expect(got[1]).toMatchObject({ cmd: 'publish', topic: 'a/b' });
    expect(got[1]!.payload!.toString()).toBe('second');
    expect(waiting.payload).toBeNull(); // the old object holds nothing of the new packet
  });

  it('holds one shared empty packet while it waits, which no packet it reads is ever put in', () => {
    const a = m.parser();
    const b = m.parser();
    const gotA = collect(a);
    const gotB = collect(b);
    a.parse(publish(m, 'one', 'first'));
    b.parse(publish(m, 'two', 'second'));
    expect(a.packet, 'two idle parsers: the same empty packet').toBe(b.packet);
    a.parse(publish(m, 'three', 'third'));
    expect(gotA.map((p) => `${p.topic}=${p.payload?.toString()}`)).toEqual(['one=first', 'three=third']);
    expect(gotB.map((p) => `${p.topic}=${p.payload?.toString()}`)).toEqual(['two=second']);
    expect(b.packet).toMatchObject({ cmd: null, length: -1, topic: null, payload: null });
    // Mid-packet, the parser fills an object of its own.
    const split = publish(m, 'four', 'fourth');
    a.parse(split.subarray(0, 3));
    expect(a.packet).not.toBe(b.packet);
    a.parse(split.subarray(3));
    expect(gotA.at(-1)).toMatchObject({ topic: 'four' });
    expect(a.packet).toBe(b.packet);
  });

  it('after a malformed packet, reads the next one and goes back to the shared empty packet, untouched', () => {
    const a = m.parser();
    const b = m.parser();
    const got = collect(a);
    const errors: Error[] = [];
    a.on('error', (e: Error) => errors.push(e));
    b.parse(publish(m, 'b', 'idle'));
    // SUBSCRIBE with its reserved header bits wrong: MQTT says the connection must close.
    a.parse(Buffer.from([0x80, 0x00]));
    expect(errors).toHaveLength(1);
    a.parse(publish(m, 'after', 'error'));
    expect(got.map((p) => `${p.topic}=${p.payload?.toString()}`)).toEqual(['after=error']);
    expect(a.packet).toBe(b.packet);
    expect(b.packet).toMatchObject({ cmd: null, length: -1, topic: null, payload: null });
  });

  it('keeps a packet split over several reads whole, however it is cut', () => {
    const bytes = publish(m, 'devices/d-1/up', 'a payload long enough to cut in places');
    for (let cut = 1; cut < bytes.length; cut++) {
      const parser = m.parser();
      const got = collect(parser);
      parser.parse(bytes.subarray(0, cut));
      expect(got).toHaveLength(0);
      parser.parse(bytes.subarray(cut));
      expect(got.map((p) => [p.topic, p.payload?.toString()])).toEqual([
        ['devices/d-1/up', 'a payload long enough to cut in places'],
      ]);
    }
  });

  it('parses packets that arrive together, and one that straddles two reads', () => {
    const parser = m.parser();
    const got = collect(parser);
    const two = Buffer.concat([publish(m, 't/1', 'one'), publish(m, 't/2', 'two')]);
    const third = publish(m, 't/3', 'three');
    parser.parse(Buffer.concat([two, third.subarray(0, 3)]));
    parser.parse(third.subarray(3));
    expect(got.map((p) => `${p.topic}=${p.payload?.toString()}`)).toEqual([
      't/1=one',
      't/2=two',
      't/3=three',
    ]);
    expect(new Set(got).size).toBe(3);
  });
});
