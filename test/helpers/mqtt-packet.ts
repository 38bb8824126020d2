import { createRequire } from 'node:module';
// The patched parser, as every fleetsim process has it: connector.ts and broker.ts apply the patches.
import '../../transport/connector.ts';
import '../../broker/mqtt/broker.ts';

export interface ParsedPacket {
  cmd: string | null;
  topic: string | null;
  payload: Buffer | null;
  length: number;
}
export interface PacketParser {
  packet: ParsedPacket;
  _list: object;
  parse(buf: Buffer): number;
  on(event: 'packet', fn: (p: ParsedPacket) => void): void;
  on(event: 'error', fn: (e: Error) => void): void;
}
export interface MqttPacket {
  parser(): PacketParser;
  generate(packet: object): Buffer;
}

/** mqtt-packet as each library loads it (resolved from inside mqtt.js and aedes). */
export function mqttPacketOf(owner: 'mqtt' | 'aedes'): MqttPacket {
  const fromRoot = createRequire(import.meta.url);
  return createRequire(fromRoot.resolve(owner))('mqtt-packet') as MqttPacket;
}
