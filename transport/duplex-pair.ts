import { Duplex } from 'node:stream';

/**
 * Two connected in-memory streams: what one writes, the other reads; ending or destroying one
 * ends the other's readable side, as a closed socket would. Node 20 has no stream.duplexPair.
 */
export function duplexPair(): [Duplex, Duplex] {
  const a = new PairSide();
  const b = new PairSide();
  a.peer = b;
  b.peer = a;
  return [a, b];
}

/**
 * One end of a pair. A class, not a Duplex given its methods as options: those are closures and
 * own properties made for every stream, and a fleet holds two streams a device for its life.
 */
class PairSide extends Duplex {
  peer!: PairSide;
  /** This side's readable has ended (its peer ended or was destroyed). */
  ended = false;

  constructor() {
    // mqtt-packet writes topics (and fleetsim its JSON payloads) as strings: they are copied
    // once, into the packet's buffer, rather than first each into a pooled buffer of its own.
    super({ decodeStrings: false });
  }

  override _read(): void {}

  override _write(chunk: unknown, encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (!this.peer.ended) this.peer.push(packetBuffer([{ chunk, encoding }]));
    callback();
  }

  // mqtt-packet writes a packet as several small corked chunks: one buffer, one push, and the
  // reader's parser slices the payload without copying.
  override _writev(
    chunks: { chunk: unknown; encoding: BufferEncoding }[],
    callback: (error?: Error | null) => void,
  ): void {
    if (!this.peer.ended) this.peer.push(packetBuffer(chunks));
    callback();
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.endPeer();
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    // A destroyed connection is gone for both ends, as a reset socket is.
    this.endPeer();
    const peer = this.peer;
    if (!peer.destroyed) process.nextTick(() => peer.destroy());
    callback(error);
  }

  private endPeer(): void {
    if (this.peer.ended) return;
    this.peer.ended = true;
    this.peer.push(null);
  }
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
