import type { Client } from 'aedes';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { EventLog } from '../../sim/events.ts';
import { ENROLL_CLIENT_PREFIX, SERVICE_CLIENT_ID } from '../mqtt/acl.ts';
import type { BrokerStats, FleetBroker } from '../mqtt/broker.ts';
import { LabelGuard } from './label-guard.ts';
import { graphActionName, type MetricsSources, platformOf } from './sources.ts';

/** The broker's refusal counters (GET /sim/stats) as one metric with a `reason` label. */
const REFUSED_BY_REASON: Readonly<Record<string, (s: BrokerStats) => number>> = {
  auth: (s) => s.authRefused,
  // publishRejected counts the future-stamped ones too; each refusal is counted under one reason.
  publishInvalid: (s) => s.publishRejected - s.futureRejected,
  publishFuture: (s) => s.futureRejected,
  subscribe: (s) => s.subscribeRefused,
  oversize: (s) => s.oversizeCut,
};

/** The broker's connected clients by id (aedes keeps them so; its type declarations omit the map). */
export const connectedClients = (broker: FleetBroker): Record<string, Client | undefined> =>
  (broker.aedes as unknown as { clients: Record<string, Client | undefined> }).clients;

/**
 * Sets a gauge to how many of `items` carry each combination of labels. Counted in a plain map
 * first: prom-client hashes the labels on every inc(), which at 20,000 records a scrape costs
 * more than the counting itself.
 */
function setCounts<L extends string, T>(
  gauge: Gauge<L>,
  items: Iterable<T>,
  labelsOf: (item: T) => Record<L, string> | null,
): void {
  const counts = new Map<string, { labels: Record<L, string>; n: number }>();
  for (const item of items) {
    const labels = labelsOf(item);
    if (!labels) continue;
    const key = Object.values(labels).join('\u0000');
    const entry = counts.get(key);
    if (entry) entry.n++;
    else counts.set(key, { labels, n: 1 });
  }
  gauge.reset();
  for (const { labels, n } of counts.values()) gauge.set(labels as never, n);
}

/**
 * Gauges read at scrape time from the service's registry and the broker: how many of a thing
 * there are now, which the event log only tells by replaying it. Each is O(records) per scrape and
 * nothing between scrapes.
 */
export function stateMetrics(registry: Registry, log: EventLog, sources: MetricsSources): void {
  const registers = [registry];
  const platforms = new LabelGuard();
  const actionNames = new LabelGuard();
  new Gauge<'platform' | 'management_state'>({
    name: 'fleetsim_devices_managed',
    help: 'Records in the device list, by platform and managementState.',
    labelNames: ['platform', 'management_state'],
    registers,
    collect() {
      setCounts(this, sources.service().devices.values(), (d) =>
        d.listed
          ? { platform: platforms.value(d.identity.platform), management_state: d.managementState }
          : null,
      );
    },
  });
  new Gauge<'platform'>({
    name: 'fleetsim_devices_connected',
    help: 'Devices with an open MQTT connection to the broker, by platform.',
    labelNames: ['platform'],
    registers,
    collect() {
      const service = sources.service();
      setCounts(this, Object.keys(connectedClients(sources.broker())), (id) => {
        const channel = service.channels.get(id); // a device connects with its channel id
        return channel ? { platform: platforms.value(platformOf(service, channel.deviceId)) } : null;
      });
    },
  });
  new Gauge<'platform' | 'action' | 'state'>({
    name: 'fleetsim_actions',
    help: 'Actions by their current state (pending, active, done, failed, notSupported, canceled).',
    labelNames: ['platform', 'action', 'state'],
    registers,
    collect() {
      const service = sources.service();
      setCounts(this, service.actions.values(), (a) => ({
        platform: platforms.value(platformOf(service, a.deviceId)),
        action: actionNames.value(graphActionName(a.kind)),
        state: a.state,
      }));
    },
  });
  new Gauge<'role'>({
    name: 'fleetsim_mqtt_clients',
    // The embedded service has no connection: it runs in the broker's process (ServiceLink).
    help: 'Clients connected to the broker, by role (device, enrollee).',
    labelNames: ['role'],
    registers,
    collect() {
      const n: Record<string, number> = { device: 0, enrollee: 0 };
      for (const id of Object.keys(connectedClients(sources.broker()))) {
        const role = clientRole(id);
        n[role] = (n[role] ?? 0) + 1;
      }
      for (const [role, count] of Object.entries(n)) this.set({ role }, count);
    },
  });
  new Counter<'reason'>({
    name: 'fleetsim_mqtt_refused_total',
    help: 'Connections, messages and subscriptions the broker refused or cut off, by reason.',
    labelNames: ['reason'],
    registers,
    collect() {
      this.reset();
      const stats = sources.broker().stats;
      for (const [reason, read] of Object.entries(REFUSED_BY_REASON)) this.inc({ reason }, read(stats));
    },
  });
  new Counter({
    name: 'fleetsim_event_log_dropped_total',
    help: 'Events dropped from memory to keep the event log bounded (sinks and metrics had them).',
    registers,
    collect() {
      this.reset();
      this.inc(log.stats().dropped);
    },
  });
  new Gauge({
    name: 'fleetsim_sim_time_seconds',
    help: 'The simulation clock, Unix seconds.',
    registers,
    collect() {
      this.set(sources.now() / 1000);
    },
  });
}

/** Who a connected client id is (a bounded label, never the id itself). */
export function clientRole(clientId: string | undefined): 'service' | 'device' | 'enrollee' | 'broker' {
  if (clientId === undefined) return 'broker';
  if (clientId === SERVICE_CLIENT_ID) return 'service';
  return clientId.startsWith(ENROLL_CLIENT_PREFIX) ? 'enrollee' : 'device';
}
