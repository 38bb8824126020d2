import type { Serving } from '../../cli/serve.ts';

/** Events that record a refusal: a refused request may (and should) leave these, and nothing else. */
const REFUSAL_EVENTS: ReadonlySet<string> = new Set(['action.refused', 'auth.refused', 'wire.rejected']);

/**
 * Everything a request could change, in one comparable string: every change the service or the
 * fleet makes appends to the event log, so its length (and last seq) catches any of them; the rest
 * is read directly in case something changed without an event.
 */
export function stateOf(serving: Serving): string {
  const { emulator } = serving;
  const service = emulator.service;
  const events = emulator.log.all().filter((e) => !REFUSAL_EVENTS.has(e.type));
  return JSON.stringify({
    events: events.length,
    lastSeq: events.at(-1)?.seq ?? null,
    clock: emulator.clockInfo(),
    devices: [...service.devices.values()].map((d) => [d.id, d.listed, d.managementState]),
    actions: [...service.actions.values()].map((a) => [a.id, a.state]),
    users: [...service.directory.users.values()].map((u) => u.userPrincipalName),
    cleanupDays: service.cleanupDays,
    push: service.push.channelsDown,
    agents: emulator.devices().map((d) => [d.online, d.state]),
  });
}
