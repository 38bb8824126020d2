import { Buffer } from 'node:buffer';

/**
 * A connection's unparsed bytes, for mqtt-packet's parser (parser-buffer-list.ts puts it there):
 * the part of bl's BufferList the parser uses (append, consume, length, readUInt8/16BE/32BE,
 * slice, toString), the same answers, without its garbage. bl reads every byte through a slice
 * (a new Buffer view and an offset array each time) and consumes by slicing the first buffer
 * again; at 10,000 devices that was the largest single source of a check-in's garbage, about 900
 * bytes of ~10,000 (`npm run bench -- month --alloc-profile`). Here a read indexes the buffer it
 * falls in, consuming moves an offset, and only a slice the parser keeps (a payload, a binary
 * field) makes a view.
 */
export class PacketBytes {
  private bufs: Buffer[] = [];
  /** Bytes of bufs[0] already consumed. */
  private head = 0;
  length = 0;

  /** A Buffer as is, other bytes viewed or encoded as bl does; nothing for null, as bl. */
  append(buf: Uint8Array | string | null | undefined): this {
    if (buf == null) return this;
    const b = Buffer.isBuffer(buf)
      ? buf
      : typeof buf === 'string'
        ? Buffer.from(buf)
        : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
    if (b.length > 0) {
      this.bufs.push(b);
      this.length += b.length;
    }
    return this;
  }

  consume(bytes: number): this {
    let n = Math.trunc(bytes);
    if (!(n > 0)) return this;
    while (n > 0 && this.bufs.length > 0) {
      const left = this.bufs[0]!.length - this.head;
      if (n < left) {
        this.head += n;
        this.length -= n;
        return this;
      }
      n -= left;
      this.length -= left;
      this.bufs.shift();
      this.head = 0;
    }
    return this;
  }

  readUInt8(offset = 0): number {
    return this.byteAt(this.readFrom(offset, 1));
  }

  readUInt16BE(offset = 0): number {
    const at = this.readFrom(offset, 2);
    return this.byteAt(at) * 0x100 + this.byteAt(at + 1);
  }

  readUInt32BE(offset = 0): number {
    const at = this.readFrom(offset, 4);
    return (
      this.byteAt(at) * 0x1000000 +
      this.byteAt(at + 1) * 0x10000 +
      this.byteAt(at + 2) * 0x100 +
      this.byteAt(at + 3)
    );
  }

  /** Bytes [start, end), as bl slices: negative counts from the end; a view when in one buffer. */
  slice(start?: number, end?: number): Buffer {
    const [from, to] = this.range(start, end);
    if (from >= to) return Buffer.alloc(0);
    const at = this.locate(from);
    const first = this.bufs[at.index]!;
    if (at.offset + (to - from) <= first.length) return first.subarray(at.offset, at.offset + (to - from));
    const out = Buffer.allocUnsafe(to - from);
    let written = 0;
    for (let i = at.index, o = at.offset; written < out.length; i++, o = 0) {
      const b = this.bufs[i]!;
      written += b.copy(out, written, o, Math.min(b.length, o + out.length - written));
    }
    return out;
  }

  /** Bytes [start, end) as text: read in place when in one buffer. */
  toString(encoding: BufferEncoding = 'utf8', start?: number, end?: number): string {
    const [from, to] = this.range(start, end);
    if (from >= to) return '';
    const at = this.locate(from);
    const first = this.bufs[at.index]!;
    if (at.offset + (to - from) <= first.length)
      return first.toString(encoding, at.offset, at.offset + (to - from));
    return this.slice(from, to).toString(encoding);
  }

  /** bl's bounds: negative from the end, then clamped to [0, length]. */
  private range(start: number | undefined, end: number | undefined): [number, number] {
    let from = typeof start === 'number' ? (start < 0 ? start + this.length : start) : 0;
    let to = typeof end === 'number' ? (end < 0 ? end + this.length : end) : this.length;
    if (from < 0) from = 0;
    if (to > this.length) to = this.length;
    return [from, to];
  }

  /**
   * Where a `width`-byte read at `offset` starts: bl reads a slice of [offset, offset + width)
   * (negative from the end), and a slice short of `width` bytes throws.
   */
  private readFrom(offset: number, width: number): number {
    const [from, to] = this.range(offset, offset + width);
    if (to - from !== width)
      throw new RangeError(`PacketBytes: a ${width}-byte read at ${offset} of ${this.length} bytes`);
    return from;
  }

  /** Byte `offset` (within length). */
  private byteAt(offset: number): number {
    let at = this.head + offset;
    let index = 0;
    while (at >= this.bufs[index]!.length) at -= this.bufs[index++]!.length;
    return this.bufs[index]![at]!;
  }

  /** Which buffer holds byte `offset` (within length), and where in it. */
  private locate(offset: number): { index: number; offset: number } {
    let at = this.head + offset;
    let index = 0;
    while (at >= this.bufs[index]!.length) at -= this.bufs[index++]!.length;
    return { index, offset: at };
  }
}
