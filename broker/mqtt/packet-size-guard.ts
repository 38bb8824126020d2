import type { Socket } from 'node:net';

/**
 * Caps the size of every MQTT packet a TCP client sends, judged from the packet's fixed header
 * (first byte, then a 1–4 byte varint remaining length) as soon as those bytes arrive, so an
 * oversized packet closes the connection before its body is read. aedes 1.2 and mqtt-packet 9
 * have no such limit for MQTT 3.1.1: they buffer a whole packet (a 128 MB CONNECT included)
 * before anyone can look at it.
 *
 * `limitBytes` is asked at each header, so the limit can rise when the client authenticates
 * (CONNECT is small; a device's PUBLISH may carry a 64 KiB payload).
 *
 * It watches the bytes where aedes takes them (aedes reads the socket with `read()` on
 * 'readable'), rather than adding a stream in between: an extra hop would shift when each packet
 * reaches the broker, and the virtual clock's runs are compared byte for byte across transports.
 */
export function guardPacketSize(
  socket: Socket,
  limitBytes: () => number,
  onOversize: (packetBytes: number | null, limitBytes: number) => void,
): void {
  const framing = new MqttFraming();
  const read = socket.read.bind(socket);
  socket.read = (size?: number) => {
    const chunk = read(size) as Buffer | string | null;
    if (chunk === null || typeof chunk === 'string') return chunk;
    const oversize = framing.feed(chunk, limitBytes);
    if (oversize === undefined) return chunk;
    onOversize(oversize, limitBytes());
    socket.destroy();
    return null;
  };
}

/** MQTT's packet framing, followed byte by byte without keeping any of the bytes. */
class MqttFraming {
  private state: 'type' | 'length' | 'body' = 'type';
  private length = 0;
  private lengthBytes = 0;
  private bodyLeft = 0;

  /**
   * Follows the framing through `chunk`. Returns undefined while every packet is within the limit;
   * otherwise the announced length of the first one over it (null for a malformed length).
   */
  feed(chunk: Buffer, limitBytes: () => number): number | null | undefined {
    let i = 0;
    while (i < chunk.length) {
      if (this.state === 'body') {
        const take = Math.min(this.bodyLeft, chunk.length - i);
        this.bodyLeft -= take;
        i += take;
        if (this.bodyLeft === 0) this.state = 'type';
      } else if (this.state === 'type') {
        i++; // packet type and flags: aedes judges them
        this.state = 'length';
        this.length = 0;
        this.lengthBytes = 0;
      } else {
        const byte = chunk[i++]!;
        this.length += (byte & 0x7f) * 128 ** this.lengthBytes++;
        const more = (byte & 0x80) !== 0;
        if (more && this.lengthBytes < 4) continue;
        if (more) return null; // a fifth length byte is malformed MQTT
        if (this.length > limitBytes()) return this.length;
        this.bodyLeft = this.length;
        this.state = this.length === 0 ? 'type' : 'body';
      }
    }
    return undefined;
  }
}
