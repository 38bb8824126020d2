import { createRequire } from 'node:module';

/**
 * `require` as each package that loads mqtt-packet would call it: mqtt.js and aedes. fleetsim's
 * fixes to mqtt-packet go to the copy each of them loads (one copy when npm deduplicated them).
 */
export function requireAsPacketOwners(): NodeJS.Require[] {
  const ours = createRequire(import.meta.url);
  return ['mqtt', 'aedes'].map((owner) => createRequire(ours.resolve(owner)));
}
