import { requireAsPacketOwners } from './packet-owners.ts';

/**
 * mqtt-packet (inside both aedes and mqtt.js) writes a packet's two-byte numbers (message ids,
 * string lengths) from a table it builds on its first write: a Buffer for each of the 65,536
 * values, 6.4 MB kept for the life of the process (heap snapshot: 65,536 Buffers, ~100 bytes each)
 * to save allocating two bytes per number written. With the table off it allocates them per write,
 * short-lived garbage the young generation takes. The bytes on the wire are the same.
 * Imported ahead of any packet being written.
 */
interface WriteToStream {
  cacheNumbers: boolean;
}

for (const require of requireAsPacketOwners()) {
  (require('mqtt-packet') as { writeToStream: WriteToStream }).writeToStream.cacheNumbers = false;
}
