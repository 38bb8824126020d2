import type { FleetBroker } from '../mqtt/broker.ts';
import { LIFECYCLE } from '../service/lifecycle.ts';
import type { IntuneService } from '../service/service.ts';
import type { ActionKind } from '../service/types.ts';

/**
 * What the metrics read, as functions: the emulator may restart its service and broker, and a
 * scrape must read the ones running now.
 */
export interface MetricsSources {
  service: () => IntuneService;
  broker: () => FleetBroker;
  /** Sim time, ms. */
  now: () => number;
}

/** A device's platform by record id; the record outlives its removal from the list, so late events still find it. */
export function platformOf(service: IntuneService, deviceId: string): string {
  return service.devices.get(deviceId)?.identity.platform ?? 'unknown';
}

/** Graph's action name for a service action kind (the name the action events carry). */
export function graphActionName(kind: string): string {
  return LIFECYCLE[kind as ActionKind]?.graphActionName ?? kind;
}
