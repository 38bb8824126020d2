import { Duplex } from 'node:stream';

/**
 * Two connected in-memory streams: what one writes, the other reads; ending or destroying one
 * ends the other's readable side, as a closed socket would. Node 20 has no stream.duplexPair.
 */
export function duplexPair(): [Duplex, Duplex] {
  const sides: Duplex[] = [];
  const eof = [false, false];
  const endPeerOf = (i: number) => {
    const peer = 1 - i;
    if (eof[peer]) return;
    eof[peer] = true;
    sides[peer]!.push(null);
  };
  for (const i of [0, 1]) {
    sides.push(
      new Duplex({
        // mqtt-packet writes topics (and fleetsim its JSON payloads) as strings: they are copied
        // once, into the packet's buffer, rather than first each into a pooled buffer of its own.
        decodeStrings: false,
        read() {},
        write(chunk, encoding, callback) {
          if (!eof[1 - i]) sides[1 - i]!.push(packetBuffer([{ chunk, encoding }]));
          callback();
        },
        // mqtt-packet writes a packet as several small corked chunks: one buffer, one push, and
        // the reader's parser slices the payload without copying.
        writev(chunks, callback) {
          if (!eof[1 - i]) {
            sides[1 - i]!.push(packetBuffer(chunks));
          }
          callback();
        },
        final(callback) {
          endPeerOf(i);
          callback();
        },
        destroy(error, callback) {
          // A destroyed connection is gone for both ends, as a reset socket is.
          endPeerOf(i);
          const peer = sides[1 - i]!;
          if (!peer.destroyed) process.nextTick(() => peer.destroy());
          callback(error);
        },
      }),
    );
  }
  return [sides[0]!, sides[1]!];
}

/**
 * A packet's chunks copied into one buffer of its own, outside Node's shared 8 KiB pool: the
 * reader's parser slices the payload out of it without copying, and a slice that outlives the
 * young generation would otherwise keep a whole pool slab, external memory that V8 answers with
 * full collections.
 */
function packetBuffer(chunks: { chunk: unknown; encoding: BufferEncoding | 'buffer' }[]): Buffer {
  let length = 0;
  for (const { chunk, encoding } of chunks)
    length +=
      typeof chunk === 'string' ? Buffer.byteLength(chunk, textEncoding(encoding)) : (chunk as Buffer).length;
  const out = Buffer.allocUnsafeSlow(length);
  let at = 0;
  for (const { chunk, encoding } of chunks)
    at +=
      typeof chunk === 'string'
        ? out.write(chunk, at, textEncoding(encoding))
        : (chunk as Buffer).copy(out, at);
  return out;
}

const textEncoding = (encoding: BufferEncoding | 'buffer'): BufferEncoding =>
  encoding === 'buffer' ? 'utf8' : encoding;
