import { collectDefaultMetrics, Registry } from 'prom-client';
import type { EventLog } from '../../sim/events.ts';
import { eventMetrics } from './event-metrics.ts';
import { mqttMetrics } from './mqtt-metrics.ts';
import type { MetricsSources } from './sources.ts';
import { stateMetrics } from './state-metrics.ts';

let processRegistry: Registry | null = null;

/**
 * Process metrics (event-loop delay, heap, RSS, GC, handles: prom-client's defaults) in one
 * registry per process: collecting them starts a delay monitor and a GC observer that are never
 * stopped, so a process serving several times (tests) must start them once.
 */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
    for (const name of PER_HANDLE_METRICS) processRegistry.removeSingleMetric(name);
  }
  return processRegistry;
}

/**
 * Default metrics whose every scrape costs O(open sockets): listing each handle, reading each entry
 * of /proc/self/fd. At 20,000 devices they were the most of a scrape's cost (a bench profile);
 * fleetsim_mqtt_clients counts the sockets that matter for nothing.
 */
const PER_HANDLE_METRICS = [
  'nodejs_active_handles',
  'nodejs_active_handles_total',
  'nodejs_active_resources',
  'nodejs_active_resources_total',
  'nodejs_active_requests',
  'nodejs_active_requests_total',
  'process_open_fds',
];

export interface FleetMetrics {
  /** This server's metrics (the process's default metrics are in a registry of their own). */
  readonly registry: Registry;
  /** The Prometheus text exposition and its content type. */
  scrape(): Promise<{ contentType: string; body: string }>;
  /** Stops listening to the event log and the broker. */
  close(): void;
}

/**
 * Prometheus metrics for `fleetsim serve`, built at the edge from what the service already
 * publishes: its event log, its registry and the broker's events and counters. The core is not
 * touched. Labels are platform, action, state and reasons, never device ids, so the series count
 * stays bounded however large the fleet. Attach before the embedded fleet enrolls to count it.
 */
export function createFleetMetrics(log: EventLog, sources: MetricsSources): FleetMetrics {
  const registry = new Registry();
  const shared = processMetrics();
  const offEvents = eventMetrics(registry, log, sources);
  stateMetrics(registry, log, sources);
  const mqtt = mqttMetrics(registry, sources);
  return {
    registry,
    async scrape() {
      mqtt.follow();
      const [own, common] = await Promise.all([registry.metrics(), shared.metrics()]);
      return { contentType: registry.contentType, body: `${own}\n${common}` };
    },
    close() {
      offEvents();
      mqtt.close();
      registry.clear();
    },
  };
}
