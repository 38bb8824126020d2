import type { AgentStore } from '../../agent/runtime/agent-store.ts';
import type { Clock } from '../../sim/clock/types.ts';
import { EventLog } from '../../sim/events.ts';
import type { ConnectOptions } from '../../transport/connector.ts';

/**
 * What a device agent or a fleet runner needs, with a connector whose connections never complete:
 * `asked` records each client id that asked for one. For tests of starting and stopping, where no
 * device need ever reach the service.
 */
export function unconnectedDeps(clock: Clock, seed: string, store: AgentStore | null = null) {
  const asked: string[] = [];
  const connector = Object.assign(
    (o: ConnectOptions) => {
      asked.push(o.clientId);
      return new Promise<never>(() => {});
    },
    { qos: 1 as const },
  );
  const deps = {
    clock,
    connector,
    enrollmentToken: 'token',
    log: new EventLog(() => clock.now()),
    tracker: null,
    store,
    reconnect: false,
    seed,
  };
  return { asked, deps };
}
