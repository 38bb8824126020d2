/**
 * MQTT topics. A device publishes only on its own `up` topic and subscribes only to its own `down`
 * topic and the clock; an enrolling client only to its own enroll pair (broker/mqtt/acl.ts).
 *
 * The direction comes before the id. aedes matches a publish level by level through a trie of
 * subscriptions; with the id first, every device's `…/<id>/down` sat on the level of the service's
 * `…/+/up`, and each check-in looked its sender up among the whole fleet's subscriptions there (a
 * cache miss per level in a big fleet: 3.6% of a check-in's CPU at 10,000 devices, against 0.4%
 * now). Now an `up` publish meets only the service's `+`.
 */
export const TOPIC_ROOT = 'fleetsim';
export const CLOCK_TOPIC = `${TOPIC_ROOT}/clock`;

export const deviceUpTopic = (deviceId: string) => `${TOPIC_ROOT}/devices/up/${deviceId}`;
export const deviceDownTopic = (deviceId: string) => `${TOPIC_ROOT}/devices/down/${deviceId}`;
export const enrollRequestTopic = (clientId: string) => `${TOPIC_ROOT}/enroll/request/${clientId}`;
export const enrollResponseTopic = (clientId: string) => `${TOPIC_ROOT}/enroll/response/${clientId}`;

/** What the service subscribes to. */
export const SERVICE_SUBSCRIPTIONS = [
  `${TOPIC_ROOT}/devices/up/+`,
  `${TOPIC_ROOT}/enroll/request/+`,
] as const;

/**
 * A topic of the layout before the direction came first (`fleetsim/devices/<id>/up`): what an agent
 * of an older fleetsim sends and subscribes to. The broker's refusal names it, so that the mismatch
 * reads as one of versions and not of permissions.
 */
export function olderLayout(topic: string): boolean {
  const parts = topic.split('/');
  if (parts.length !== 4 || parts[0] !== TOPIC_ROOT) return false;
  const [, family, id, leaf] = parts as [string, string, string, string];
  if (family === 'devices') return (leaf === 'up' || leaf === 'down') && id !== 'up' && id !== 'down';
  if (family === 'enroll')
    return (leaf === 'request' || leaf === 'response') && id !== 'request' && id !== 'response';
  return false;
}

/** What the broker adds to a refusal of such a topic. */
export const OLDER_LAYOUT_HINT =
  "a topic of an older fleetsim's layout: this one's are fleetsim/devices/up/<id> and fleetsim/devices/down/<id>";

export type ParsedTopic =
  | { kind: 'deviceUp'; deviceId: string }
  | { kind: 'deviceDown'; deviceId: string }
  | { kind: 'enrollRequest'; clientId: string }
  | { kind: 'enrollResponse'; clientId: string }
  | { kind: 'clock' };

const SEGMENT = /^[A-Za-z0-9_.:-]{1,128}$/;

/** Each topic with an id at its end: its prefix, and what a topic under it is. */
const ID_TOPICS: readonly { prefix: string; parsed: (id: string) => ParsedTopic }[] = [
  { prefix: deviceUpTopic(''), parsed: (deviceId) => ({ kind: 'deviceUp', deviceId }) },
  { prefix: deviceDownTopic(''), parsed: (deviceId) => ({ kind: 'deviceDown', deviceId }) },
  { prefix: enrollRequestTopic(''), parsed: (clientId) => ({ kind: 'enrollRequest', clientId }) },
  { prefix: enrollResponseTopic(''), parsed: (clientId) => ({ kind: 'enrollResponse', clientId }) },
];

/**
 * What a topic is, or null. By prefix rather than split into levels: every check-in's topic is
 * parsed, and a split made an array and four strings of it (~160 of a check-in's ~10,800 bytes of
 * garbage). An id holds no '/', so a topic with more levels is no topic of these.
 */
export function parseTopic(topic: string): ParsedTopic | null {
  if (topic === CLOCK_TOPIC) return { kind: 'clock' };
  for (const { prefix, parsed } of ID_TOPICS) {
    if (!topic.startsWith(prefix)) continue;
    const id = topic.slice(prefix.length);
    return SEGMENT.test(id) ? parsed(id) : null;
  }
  return null;
}
