import { createRequire } from 'node:module';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import '../../transport/connector.ts';

interface MqttPacket {
  writeToStream: ((packet: object, stream: PassThrough) => boolean) & { cacheNumbers: boolean };
  generate: (packet: object) => Buffer;
}

/** mqtt-packet as each library loads it. */
function packetLibraryOf(owner: string): MqttPacket {
  const require = createRequire(createRequire(import.meta.url).resolve(owner));
  return require('mqtt-packet') as MqttPacket;
}

describe("mqtt-packet's table of two-byte numbers (transport/no-number-cache.ts)", () => {
  it('is off in the copy aedes loads and in the one mqtt.js loads', () => {
    for (const owner of ['aedes', 'mqtt'])
      expect(packetLibraryOf(owner).writeToStream.cacheNumbers).toBe(false);
  });

  it('writes the same bytes without it', () => {
    const lib = packetLibraryOf('aedes');
    const packet = { cmd: 'publish', topic: 'a/b', payload: Buffer.from('x'), qos: 1, messageId: 0x1234 };
    const written: Buffer[] = [];
    const stream = new PassThrough();
    stream.on('data', (chunk: Buffer) => written.push(chunk));
    lib.writeToStream(packet, stream);
    // PUBLISH, QoS 1 (0x32); remaining length 8; topic length 3, 'a/b'; message id 0x1234; 'x'.
    const expected = Buffer.from([0x32, 8, 0, 3, 0x61, 0x2f, 0x62, 0x12, 0x34, 0x78]);
    stream.end();
    return new Promise<void>((resolve) =>
      stream.on('end', () => {
        expect(Buffer.concat(written)).toEqual(expected);
        expect(lib.generate(packet)).toEqual(expected);
        resolve();
      }),
    );
  });
});
