import {
  CLOCK_TOPIC,
  deviceDownTopic,
  deviceUpTopic,
  enrollRequestTopic,
  enrollResponseTopic,
  SERVICE_SUBSCRIPTIONS,
  TOPIC_ROOT,
} from '../../sim/wire/topics.ts';

/** Who a connected client is, decided once at CONNECT. */
export type Role =
  | { kind: 'service' }
  | { kind: 'enrollee'; clientId: string }
  | { kind: 'device'; channelId: string };

export const SERVICE_CLIENT_ID = 'fleetsim-service';
export const SERVICE_USERNAME = 'fleetsim-service';
export const ENROLL_USERNAME = 'enroll';
export const ENROLL_CLIENT_PREFIX = 'enroll-';

/** The topics a role may publish to. */
export function mayPublish(role: Role, topic: string): boolean {
  switch (role.kind) {
    case 'service':
      return (
        topic === CLOCK_TOPIC ||
        topic.startsWith(`${TOPIC_ROOT}/devices/`) ||
        topic.startsWith(`${TOPIC_ROOT}/enroll/`)
      );
    case 'enrollee':
      return topic === enrollRequestTopic(role.clientId);
    case 'device':
      return topic === deviceUpTopic(role.channelId);
  }
}

/** The topic filters a role may subscribe to. */
export function maySubscribe(role: Role, filter: string): boolean {
  switch (role.kind) {
    case 'service':
      return (SERVICE_SUBSCRIPTIONS as readonly string[]).includes(filter);
    case 'enrollee':
      return filter === enrollResponseTopic(role.clientId) || filter === CLOCK_TOPIC;
    case 'device':
      return filter === deviceDownTopic(role.channelId) || filter === CLOCK_TOPIC;
  }
}
