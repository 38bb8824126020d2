import type { CohortSpec } from '../../agent/fleet/cohort.ts';
import { DEFAULT_EPOCH_MS } from '../../agent/fleet/generator.ts';
import { AgentStore } from '../../agent/runtime/agent-store.ts';
import type { DeviceAgent } from '../../agent/runtime/device-agent.ts';
import { FleetRunner } from '../../agent/runtime/fleet-runner.ts';
import { type RunningServer, startServer } from '../../broker/server.ts';
import type { DeviceRecord } from '../../broker/service/types.ts';
import { FlightTracker } from '../../sim/clock/flight-tracker.ts';
import type { Clock } from '../../sim/clock/types.ts';
import { VirtualClock } from '../../sim/clock/virtual-clock.ts';
import { EventLog } from '../../sim/events.ts';
import { HOUR_MS } from '../../sim/time-units.ts';
import type { ClockMessage } from '../../sim/wire/schemas.ts';
import { memoryConnector, tcpConnector } from '../../transport/connector.ts';

/**
 * A whole fleet on the virtual clock in one process: the real service, the real aedes broker and
 * real mqtt.js clients — over in-memory streams, or over loopback TCP with `transport: 'tcp'`.
 */
export interface VirtualFleet {
  clock: VirtualClock;
  server: RunningServer;
  runner: FleetRunner;
  log: EventLog;
  /** The service's record of an agent's device (current record, listed or not). */
  recordOf(agent: DeviceAgent): DeviceRecord | undefined;
  close(): Promise<void>;
}

export async function startVirtualFleet(options: {
  seed?: string;
  cohorts: CohortSpec[];
  transport?: 'memory' | 'tcp';
  agentDb?: string;
  /** The service's store: SQLite at this path; in memory by default. */
  serviceDb?: string;
  commandsPerMessage?: number;
  /** The clock the devices see, made from the fleet's (to make them slow, say); the fleet's own by default. */
  agentClock?: (clock: VirtualClock) => Clock;
  /** The devices follow the service's clock messages, as agents in a process of their own do. */
  onClock?: (message: ClockMessage) => void;
}): Promise<VirtualFleet> {
  const seed = options.seed ?? 'fleet';
  const tracker = new FlightTracker();
  const clock = new VirtualClock(DEFAULT_EPOCH_MS, tracker);
  const log = new EventLog(() => clock.now());
  const tcp = options.transport === 'tcp';
  const server = await startServer({
    clock,
    seed,
    db: options.serviceDb ?? ':memory:',
    mqttPort: tcp ? 0 : null,
    tracker,
    log,
    ...(options.commandsPerMessage ? { commandsPerMessage: options.commandsPerMessage } : {}),
  });
  const connector = tcp ? tcpConnector(server.mqttUrl!) : memoryConnector((s) => server.broker.handle(s));
  const store = options.agentDb ? new AgentStore(options.agentDb) : null;
  const runner = new FleetRunner({
    clock: options.agentClock?.(clock) ?? clock,
    connector,
    enrollmentToken: server.enrollmentToken,
    log,
    tracker,
    store,
    reconnect: false,
    seed,
    ...(options.onClock ? { onClock: options.onClock } : {}),
  });
  runner.addFleet({ cohorts: options.cohorts, epochMs: DEFAULT_EPOCH_MS });
  const recordOf = (agent: DeviceAgent) => {
    const channelId = agent.credentials?.channelId;
    const channel = channelId ? server.service.channels.get(channelId) : undefined;
    return channel ? server.service.devices.get(channel.deviceId) : undefined;
  };
  // Enrolled and checked in once: every record managed (S-1).
  const ready = await clock.runUntil(
    () => runner.all().every((a) => recordOf(a)?.managementState === 'managed'),
    HOUR_MS,
  );
  if (!ready) throw new Error('the fleet did not enroll and check in within an hour of sim time');
  return {
    clock,
    server,
    runner,
    log,
    recordOf,
    async close() {
      await runner.stop();
      await server.close();
      store?.close();
    },
  };
}
