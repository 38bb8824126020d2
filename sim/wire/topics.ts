/**
 * MQTT topics. A device publishes only on its own `up` topic and subscribes only to its own `down`
 * topic and the clock; an enrolling client only to its own enroll pair (broker/mqtt/acl.ts).
 */
export const TOPIC_ROOT = 'fleetsim';
export const CLOCK_TOPIC = `${TOPIC_ROOT}/clock`;

export const deviceUpTopic = (deviceId: string) => `${TOPIC_ROOT}/devices/${deviceId}/up`;
export const deviceDownTopic = (deviceId: string) => `${TOPIC_ROOT}/devices/${deviceId}/down`;
export const enrollRequestTopic = (clientId: string) => `${TOPIC_ROOT}/enroll/${clientId}/request`;
export const enrollResponseTopic = (clientId: string) => `${TOPIC_ROOT}/enroll/${clientId}/response`;

/** What the service subscribes to. */
export const SERVICE_SUBSCRIPTIONS = [
  `${TOPIC_ROOT}/devices/+/up`,
  `${TOPIC_ROOT}/enroll/+/request`,
] as const;

export type ParsedTopic =
  | { kind: 'deviceUp'; deviceId: string }
  | { kind: 'deviceDown'; deviceId: string }
  | { kind: 'enrollRequest'; clientId: string }
  | { kind: 'enrollResponse'; clientId: string }
  | { kind: 'clock' };

const SEGMENT = /^[A-Za-z0-9_.:-]{1,128}$/;

export function parseTopic(topic: string): ParsedTopic | null {
  if (topic === CLOCK_TOPIC) return { kind: 'clock' };
  const parts = topic.split('/');
  if (parts.length !== 4 || parts[0] !== TOPIC_ROOT) return null;
  const [, family, id, leaf] = parts as [string, string, string, string];
  if (!SEGMENT.test(id)) return null;
  if (family === 'devices' && leaf === 'up') return { kind: 'deviceUp', deviceId: id };
  if (family === 'devices' && leaf === 'down') return { kind: 'deviceDown', deviceId: id };
  if (family === 'enroll' && leaf === 'request') return { kind: 'enrollRequest', clientId: id };
  if (family === 'enroll' && leaf === 'response') return { kind: 'enrollResponse', clientId: id };
  return null;
}
