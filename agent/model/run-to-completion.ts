import { completeReset, runCommand } from './actions.ts';
import type { Command, Device, ModelEnv, Transition } from './commands.ts';

/**
 * Runs a command and, when it starts a reset, completes the reset at its modeled time with no
 * power loss: what a device that stays on does. Events of both steps are kept in order.
 */
export function runToCompletion(device: Device, command: Command, env: ModelEnv): Transition {
  const started = runCommand(device, command, env);
  // Stryker disable next-line OptionalChaining: runCommand always reports an outcome (only power and network changes lack one)
  if (started.outcome?.status !== 'inProgress') return started;
  const done = completeReset(
    { identity: device.identity, state: started.state },
    // Stryker disable next-line ObjectLiteral: completeReset reads the time only to refuse an early completion, and undefined < due is false: it completes alike
    { nowMs: started.outcome.completesAtMs, rng: env.rng },
  );
  return { ...done, events: [...started.events, ...done.events] };
}
