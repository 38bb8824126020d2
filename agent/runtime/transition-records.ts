import type { EventLog } from '../../sim/events.ts';
import type { Transition } from '../model/commands.ts';
import { factsOf } from '../model/facts.ts';
import type { ResultBody } from './result-courier.ts';

/**
 * The result a transition reports when its command ended (done, failed or not supported), with
 * the facts of the state it left; null while it runs on (a reset in progress) or for no command.
 */
export function resultOf(t: Transition): ResultBody | null {
  const o = t.outcome;
  if (!o || (o.status !== 'done' && o.status !== 'failed' && o.status !== 'notSupported')) return null;
  return {
    type: 'result',
    commandId: o.commandId,
    status: o.status,
    rules: o.status === 'done' ? o.rules : [],
    facts: factsOf(t.state),
    ...(o.status === 'done' ? {} : { reasonCode: o.reason.code }),
  };
}

/** A transition's model events in the event log: power changes as such, the rest as the model's. */
export function logTransition(
  log: EventLog,
  serialNumber: string,
  deviceId: string | null,
  t: Transition,
): void {
  for (const event of t.events) {
    if (event.type === 'powerChanged') log.append({ type: 'agent.power', serialNumber, power: event.power });
    else log.append({ type: 'agent.model', serialNumber, deviceId, event });
  }
}
