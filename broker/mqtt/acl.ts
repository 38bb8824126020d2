import {
  CLOCK_TOPIC,
  deviceDownTopic,
  deviceUpTopic,
  enrollRequestTopic,
  enrollResponseTopic,
} from '../../sim/wire/topics.ts';

/**
 * Who a connected client is, decided once at CONNECT. The service is not among them: it runs in
 * the broker's process and publishes through the broker itself (ServiceLink), so no client can
 * connect as the service.
 */
export type Role = { kind: 'enrollee'; clientId: string } | { kind: 'device'; channelId: string };

/** The sender id the service's publishes carry inside the broker (no client can have it). */
export const SERVICE_CLIENT_ID = 'fleetsim-service';
export const ENROLL_USERNAME = 'enroll';
export const ENROLL_CLIENT_PREFIX = 'enroll-';

/** The topics a role may publish to. */
export function mayPublish(role: Role, topic: string): boolean {
  switch (role.kind) {
    case 'enrollee':
      return topic === enrollRequestTopic(role.clientId);
    case 'device':
      return topic === deviceUpTopic(role.channelId);
  }
}

/** The topic filters a role may subscribe to. */
export function maySubscribe(role: Role, filter: string): boolean {
  switch (role.kind) {
    case 'enrollee':
      return filter === enrollResponseTopic(role.clientId) || filter === CLOCK_TOPIC;
    case 'device':
      return filter === deviceDownTopic(role.channelId) || filter === CLOCK_TOPIC;
  }
}
