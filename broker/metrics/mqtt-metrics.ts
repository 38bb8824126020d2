import type { AedesPublishPacket, Client } from 'aedes';
import { Counter, type Registry } from 'prom-client';
import type { FleetBroker } from '../mqtt/broker.ts';
import type { MetricsSources } from './sources.ts';
import { clientRole } from './state-metrics.ts';

/**
 * Broker traffic from aedes's own events: every PUBLISH it routes (rate() of it is messages/s),
 * every connection and disconnection. Attached to the broker running now; after a service restart
 * (a new broker) the next scrape attaches to the new one.
 */
export function mqttMetrics(registry: Registry, sources: MetricsSources): { follow(): void; close(): void } {
  const registers = [registry];
  const messages = new Counter<'from'>({
    name: 'fleetsim_mqtt_messages_total',
    help: 'PUBLISH packets the broker routed, by sender role (broker: its own $SYS messages).',
    labelNames: ['from'],
    registers,
  });
  const connects = new Counter({
    name: 'fleetsim_mqtt_connects_total',
    help: 'Clients that connected and authenticated.',
    registers,
  });
  const disconnects = new Counter({
    name: 'fleetsim_mqtt_disconnects_total',
    help: 'Clients that disconnected.',
    registers,
  });
  const onPublish = (_packet: AedesPublishPacket, client: Client | null) =>
    messages.inc({ from: clientRole(client?.id) });
  const onClient = () => connects.inc();
  const onDisconnect = () => disconnects.inc();

  let attached: FleetBroker | null = null;
  const detach = () => {
    attached?.aedes.off('publish', onPublish);
    attached?.aedes.off('client', onClient);
    attached?.aedes.off('clientDisconnect', onDisconnect);
    attached = null;
  };
  const follow = () => {
    const broker = sources.broker();
    if (broker === attached) return;
    detach();
    broker.aedes.on('publish', onPublish);
    broker.aedes.on('client', onClient);
    broker.aedes.on('clientDisconnect', onDisconnect);
    attached = broker;
  };
  follow();
  return { follow, close: detach };
}
