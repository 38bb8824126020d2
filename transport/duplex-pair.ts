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
        read() {},
        write(chunk, _encoding, callback) {
          if (!eof[1 - i]) sides[1 - i]!.push(chunk);
          callback();
        },
        // mqtt-packet writes a packet as several small corked chunks: one buffer, one push, and
        // the reader's parser slices the payload without copying.
        writev(chunks, callback) {
          if (!eof[1 - i]) {
            const parts = chunks.map((c) => c.chunk as Buffer);
            sides[1 - i]!.push(parts.length === 1 ? parts[0] : Buffer.concat(parts));
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
