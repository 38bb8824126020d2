import { requireAsPacketOwners } from './packet-owners.ts';

/**
 * mqtt-packet's parser (inside both aedes and mqtt.js) makes the object for a connection's next
 * packet as soon as it has emitted the last one, and fills it when the next packet arrives. For a
 * device that talks every few hours that empty object has long since moved to V8's old
 * generation, so the topic and payload buffer it is filled with are referenced from old space —
 * and they stay referenced after the packet was handled and dropped, until a full collection
 * finds the old object dead. Every received payload (and the 8 KiB pool slab, or the socket's read
 * chunk, it is a slice of) therefore outlived the young generation. Those backing stores count as
 * external memory, and V8 starts a full collection, marking the whole heap, at every 64 MB of it.
 * Measured at 10,000 devices on the virtual clock (`npm run bench -- month`): the ArrayBuffer bytes
 * outliving each scavenge went from about 3.8 MB to about none.
 *
 * The remedy: a parse that starts on a packet boundary starts a fresh packet object, made young,
 * so what fills it dies young with it. Applied to the parser class itself, once per process,
 * ahead of any connection; a parse in the middle of a packet is left as it was.
 *
 * Between packets, a parser with nothing left to read holds one shared empty packet instead of
 * an object of its own, which the next parse replaces before anything is written to it: the empty
 * objects, each waiting hours of sim time, were the largest thing a month of check-ins still
 * promoted to the old generation (`--promoted-profile`: ~70 bytes a check-in, a sixth of it).
 */
interface ParserShape {
  prototype: {
    parse(this: ParserState, buf: Buffer): number;
    _newPacket(this: ParserState): boolean;
  };
}
interface ParserState {
  packet: { cmd: unknown; length: number } | null;
  _list: { length: number };
  _stateCounter: number;
}

const MARK = Symbol.for('fleetsim.youngPackets');

function patch(Parser: ParserShape & { [MARK]?: true }, Packet: new () => ParserState['packet']): void {
  if (Parser[MARK]) return;
  const { parse, _newPacket: newPacket } = Parser.prototype;
  const idle = new Packet();
  Parser.prototype.parse = function (this: ParserState, buf: Buffer): number {
    const p = this.packet;
    if (
      p !== null &&
      p.cmd === null &&
      p.length === -1 &&
      this._stateCounter === 0 &&
      this._list.length === 0
    )
      this.packet = new Packet();
    return parse.call(this, buf);
  };
  // Only with nothing left to read: the parse loop stops there, and the next parse replaces it.
  Parser.prototype._newPacket = function (this: ParserState): boolean {
    const done = newPacket.call(this);
    if (this._list.length === 0) this.packet = idle;
    return done;
  };
  Parser[MARK] = true;
}

/** The parser aedes and mqtt.js load (one copy when npm deduplicated them, else each). */
for (const require of requireAsPacketOwners()) {
  patch(require('mqtt-packet/parser.js'), require('mqtt-packet/packet.js'));
}
