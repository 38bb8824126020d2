import { createRequire } from 'node:module';
import { PacketBytes } from './packet-bytes.ts';
import { requireAsPacketOwners } from './packet-owners.ts';

/**
 * mqtt-packet's parser (inside both aedes and mqtt.js) keeps a connection's unparsed bytes in
 * `bl()`: a BufferListStream, which is a whole Duplex stream (with its readable and writable
 * states, ~1.1 KB) of which the parser uses only the buffer-list half (append, consume, length,
 * the readUInt*s, slice, toString). A fleetsim process holds a parser at each end of every
 * in-memory connection, for the connection's life. PacketBytes does that half's job as a plain
 * object (a list of buffers and two numbers), without bl's garbage at every byte read
 * (packet-bytes.ts).
 *
 * The parser makes its list in `_resetState` (at start, and again after a malformed packet):
 * that is replaced, once per process, ahead of any connection, by the same steps with a PacketBytes.
 */
interface ParserState {
  packet: unknown;
  error: Error | null;
  _list: unknown;
  _stateCounter: number;
}
interface ParserShape {
  prototype: { _resetState(this: ParserState): void };
}

const MARK = Symbol.for('fleetsim.parserBufferList');

/** The parser aedes and mqtt.js load (one copy when npm deduplicated them, else each). */
for (const fromOwner of requireAsPacketOwners()) {
  const parserPath = fromOwner.resolve('mqtt-packet/parser.js');
  const Parser = fromOwner(parserPath) as ParserShape & { [MARK]?: true };
  if (Parser[MARK]) continue;
  const fromPacket = createRequire(parserPath);
  const Packet = fromPacket('./packet.js') as new () => unknown;
  Parser.prototype._resetState = function (this: ParserState): void {
    this.packet = new Packet();
    this.error = null;
    this._list = new PacketBytes();
    this._stateCounter = 0;
  };
  Parser[MARK] = true;
}
