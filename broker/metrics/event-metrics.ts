import { Counter, Histogram, type Registry } from 'prom-client';
import type { EventLog, FleetEvent } from '../../sim/events.ts';
import { MINUTE_MS } from '../../sim/time-units.ts';
import { LabelGuard } from './label-guard.ts';
import { graphActionName, type MetricsSources, platformOf } from './sources.ts';

/**
 * Propagation buckets in sim seconds, dense around the 15-minute promise (W-7, R-4): a dashboard
 * reads "acknowledged within 15 minutes" straight off the 900 s bucket.
 */
export const PROPAGATION_BUCKETS_S = [
  30, 60, 120, 300, 600, 720, 840, 900, 960, 1080, 1200, 1800, 3600, 7200, 21_600, 86_400,
];
/** The 15-minute line as a bucket bound, for tests and dashboards. */
export const FIFTEEN_MINUTES_S = (15 * MINUTE_MS) / 1000;

type Guards = Record<'platform' | 'action' | 'reason' | 'status' | 'code' | 'type' | 'why', LabelGuard>;

/**
 * Counters and the propagation histogram, each derived from one kind of event in the log: the
 * log is the one record of what happened (design.md), so metrics never disagree with /sim/events.
 */
export function eventMetrics(registry: Registry, log: EventLog, sources: MetricsSources): () => void {
  const registers = [registry];
  // Label names as one space-separated string keeps each counter's declaration on one line.
  const counter = (name: string, help: string, labels = '') =>
    new Counter({ name, help, labelNames: labels.split(' ').filter(Boolean), registers });
  const events = counter('fleetsim_events_total', 'Events appended to the event log, by type.', 'type');
  const enrolled = counter('fleetsim_devices_enrolled_total', 'Enrollments (device.enrolled).', 'platform');
  const enrollRefused = counter('fleetsim_enroll_refused_total', 'Enrollment requests refused.');
  const checkIns = counter('fleetsim_checkins_total', 'Check-ins the service handled.', 'platform reason');
  const delivered = counter(
    'fleetsim_commands_delivered_total',
    'Commands sent to devices in answer to a check-in (a resend counts again).',
    'platform action',
  );
  const requested = counter('fleetsim_actions_requested_total', 'Actions created.', 'platform action source');
  const refused = counter(
    'fleetsim_actions_refused_total',
    'Action requests refused.',
    'platform action code',
  );
  const acknowledged = counter(
    'fleetsim_actions_acknowledged_total',
    'Actions a device acknowledged.',
    'platform action',
  );
  const completed = counter(
    'fleetsim_actions_completed_total',
    'Actions that reached a final state.',
    'platform action status',
  );
  const removed = counter('fleetsim_devices_removed_total', 'Records that left the list.', 'platform why');
  const pushes = counter('fleetsim_push_sent_total', 'Push notifications sent.', 'channel');
  const propagation = new Histogram<'platform' | 'action'>({
    name: 'fleetsim_action_propagation_seconds',
    help: 'From the admin request to the device acknowledgement, in sim seconds (W-7, R-4: under 900).',
    labelNames: ['platform', 'action'],
    buckets: PROPAGATION_BUCKETS_S,
    registers,
  });

  const g: Guards = {
    platform: new LabelGuard(),
    action: new LabelGuard(),
    reason: new LabelGuard(),
    status: new LabelGuard(),
    code: new LabelGuard(),
    type: new LabelGuard(),
    why: new LabelGuard(),
  };
  const platformLabel = (e: { deviceId: string }) =>
    g.platform.value(platformOf(sources.service(), e.deviceId));
  const action = (e: { action: string }) => g.action.value(e.action);
  // One row per event type that feeds a metric; every event also counts in fleetsim_events_total.
  const handlers: { [T in FleetEvent['type']]?: (e: Extract<FleetEvent, { type: T }>) => void } = {
    'device.enrolled': (e) => enrolled.inc({ platform: g.platform.value(e.platform) }),
    'device.enrollRefused': () => enrollRefused.inc(),
    'device.checkIn': (e) => checkIns.inc({ platform: platformLabel(e), reason: g.reason.value(e.reason) }),
    'action.requested': (e) =>
      requested.inc({ platform: platformLabel(e), action: action(e), source: e.source }),
    'action.refused': (e) =>
      refused.inc({
        platform: platformLabel(e),
        action: g.action.value(graphActionName(e.action)),
        code: g.code.value(e.code),
      }),
    'action.delivered': (e) => delivered.inc({ platform: platformLabel(e), action: action(e) }),
    'action.acknowledged': (e) => {
      const labels = { platform: platformLabel(e), action: action(e) };
      acknowledged.inc(labels);
      propagation.observe(labels, e.propagationMs / 1000);
    },
    'action.completed': (e) =>
      completed.inc({ platform: platformLabel(e), action: action(e), status: g.status.value(e.status) }),
    'device.removed': (e) => removed.inc({ platform: platformLabel(e), why: g.why.value(e.why) }),
    'push.sent': (e) => pushes.inc({ channel: e.channel }),
  };
  const on = (e: FleetEvent): void => {
    events.inc({ type: g.type.value(e.type) });
    (handlers[e.type] as ((event: FleetEvent) => void) | undefined)?.(e);
  };
  return log.on(on);
}
