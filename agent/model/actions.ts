import { type DeviceState, type ResetJob, type ResetVariant, UNBOOTABLE } from '../../sim/device-state.ts';
import { type ActionRequest, checkEligibility, type WipeOptions } from '../../sim/eligibility.ts';
import { PLATFORMS } from '../../sim/platforms/index.ts';
import { refusal } from '../../sim/reasons.ts';
import type { Command, Device, ModelEnv, Outcome, Transition } from './commands.ts';
import { applyRows } from './effects/ops.ts';
import { RESET_RULES } from './effects/reset-rules.ts';
import { RETIRE_RULES } from './effects/retire-rules.ts';

/**
 * The device's side of every remote action, as pure functions (state, command, env) → transition.
 * Time and randomness come in through env; nothing here reads a clock or does I/O.
 */

export function requestOf(command: Command): ActionRequest {
  switch (command.type) {
    case 'wipe':
      return { action: 'wipe', options: command.options };
    case 'freshStart':
      return { action: 'freshStart', keepUserData: command.keepUserData };
    default:
      return { action: command.type };
  }
}

/** Which effect table a reset command completes with (spec: "Graph's wipe options, mapped to the rules"). */
export function resetVariantOf(command: Extract<Command, { type: 'wipe' | 'freshStart' }>): ResetVariant {
  if (command.type === 'freshStart') return command.keepUserData ? 'freshStartKeepUserData' : 'freshStart';
  const o: WipeOptions = command.options;
  if (o.keepUserData) return 'keepUserData'; // W-2 (with or without keepEnrollmentData)
  if (o.keepEnrollmentData) return 'keepEnrollment'; // [design]
  return 'full'; // W-1
}

function refuse(
  device: Device,
  command: Command,
  outcome: 'failed' | 'notSupported',
  reason = refusal('deviceBusy'),
): Transition {
  return {
    state: device.state,
    outcome: { status: outcome, commandId: command.id, reason },
    events: [{ type: 'commandRefused', commandId: command.id, reason }],
  };
}

/** Runs a command the device has just received. The device must be on and able to boot. */
export function runCommand(device: Device, command: Command, env: ModelEnv): Transition {
  const { identity, state } = device;
  if (state.power !== 'on' || UNBOOTABLE.includes(state.boot)) {
    throw new Error(
      `runCommand: device ${identity.serialNumber} cannot receive commands (power ${state.power}, boot ${state.boot})`,
    );
  }
  if (state.nvram.resetJob) return refuse(device, command, 'failed');
  const refused = checkEligibility(identity, requestOf(command));
  if (refused) return refuse(device, command, 'notSupported', refused);

  switch (command.type) {
    case 'sync': // S-6: the check-in itself is the effect
      return done(state, command, []);
    case 'retire': {
      const { state: next, applied } = applyRows(RETIRE_RULES, identity, state);
      return done(next, command, applied);
    }
    case 'wipe':
    case 'freshStart':
      return startReset(device, command, env);
  }
}

function done(state: DeviceState, command: Command, rules: string[]): Transition {
  return {
    state,
    outcome: { status: 'done', commandId: command.id, rules },
    events: [{ type: 'commandApplied', commandId: command.id, command: command.type, rules }],
  };
}

function startReset(
  device: Device,
  command: Extract<Command, { type: 'wipe' | 'freshStart' }>,
  env: ModelEnv,
): Transition {
  const { identity, state } = device;
  // [design] Windows resets run from the recovery environment; without a healthy one they cannot start.
  if (PLATFORMS[identity.platform].family === 'windows' && !state.recoveryEnvironmentHealthy) {
    const reason = refusal('recoveryEnvironmentUnavailable');
    return {
      state,
      outcome: { status: 'failed', commandId: command.id, reason },
      events: [{ type: 'resetFailed', commandId: command.id, reason }],
    };
  }
  const wipe = command.type === 'wipe' ? command.options : {};
  const job: ResetJob = {
    commandId: command.id,
    action: command.type,
    variant: resetVariantOf(command),
    protectedWipe: wipe.useProtectedWipe === true,
    // [later: devices-wipe 2022] absent means keep the plan
    persistEsimDataPlan: wipe.persistEsimDataPlan !== false,
    // Set in firmware when the wipe completes, so a rolled-back wipe leaves none (W-PROT-2).
    macOsUnlockCode: identity.platform === 'macos' && wipe.macOsUnlockCode ? wipe.macOsUnlockCode : null,
    startedAtMs: env.nowMs,
    durationMs: 0,
    attempts: 0,
  };
  return launch(state, job, device, env);
}

/** (Re)starts a reset: a fresh duration from the platform's range, one more attempt. */
function launch(state: DeviceState, job: ResetJob, device: Device, env: ModelEnv): Transition {
  const [min, max] = PLATFORMS[device.identity.platform].wipeDurationMs;
  const running: ResetJob = {
    ...job,
    startedAtMs: env.nowMs,
    durationMs: env.rng.int(min, max),
    attempts: job.attempts + 1,
  };
  const completesAtMs = running.startedAtMs + running.durationMs;
  return {
    state: { ...state, nvram: { ...state.nvram, resetJob: running } },
    outcome: { status: 'inProgress', commandId: job.commandId, completesAtMs },
    events: [
      {
        type: 'resetStarted',
        commandId: job.commandId,
        protectedWipe: job.protectedWipe,
        completesAtMs,
        attempt: running.attempts,
      },
    ],
  };
}

/** When the running reset is due to complete, or null when none runs. */
export function resetDueAtMs(state: DeviceState): number | null {
  const job = state.nvram.resetJob;
  return job && state.power === 'on' ? job.startedAtMs + job.durationMs : null;
}

/** W-PROT-3: per-device conditions under which a protected reset leaves the device unable to start. */
const PROTECTED_RESET_FAILURES: readonly {
  applies: (s: DeviceState) => boolean;
  boot: 'recoveryEnvironment' | 'needsBootableMedia';
}[] = [
  { applies: (s) => s.conditions.corruptedInstallation, boot: 'recoveryEnvironment' },
  // Only a BitLocker-encrypted device can fail this way.
  { applies: (s) => s.bitLocker && s.conditions.bitLockerResetFails, boot: 'needsBootableMedia' },
];

/** Completes the running reset once its time has come (W-1, W-2, F-1..F-3, W-PROT-3). */
export function completeReset(device: Device, env: ModelEnv): Transition {
  const { identity, state } = device;
  const job = state.nvram.resetJob;
  const due = resetDueAtMs(state);
  // `!job` last: without a job resetDueAtMs is null, so it only narrows the type.
  if (due === null || env.nowMs < due || !job) {
    throw new Error(`completeReset: no reset due on ${identity.serialNumber} at ${env.nowMs}`);
  }
  if (job.protectedWipe) {
    const failure = PROTECTED_RESET_FAILURES.find((f) => f.applies(state));
    if (failure) {
      // The reset fails; the device never starts again and never reports (the service keeps the wipe pending, D-8).
      const next: DeviceState = { ...state, boot: failure.boot, nvram: { ...state.nvram, resetJob: null } };
      return unbootable(next, job.commandId, 'W-PROT-3');
    }
  }
  // Every effect is a row of the reset's table (eSIM plan, unlock code and safe-mode access included).
  const { state: reset, applied } = applyRows(RESET_RULES[job.variant], identity, state);
  reset.nvram.resetJob = null;
  return {
    state: reset,
    outcome: { status: 'done', commandId: job.commandId, rules: applied },
    events: [{ type: 'resetCompleted', commandId: job.commandId, rules: applied }],
  };
}

function unbootable(state: DeviceState, commandId: string, specId: string): Transition {
  return {
    state,
    outcome: { status: 'unbootable', commandId, boot: state.boot, specId },
    events: [{ type: 'bootFailed', boot: state.boot, specId }],
  };
}

/**
 * Power loss. A protected wipe stays in NVRAM and resumes at power-on (W-PROT-1); an unprotected
 * reset rolls back to the state before it and fails (W-PROT-2) — or, with the "rollback fails"
 * fault, leaves the device unusable.
 */
export function powerOff(device: Device): Transition {
  const { state } = device;
  if (state.power === 'off') return { state, events: [] };
  const off: DeviceState = { ...state, power: 'off' };
  const events: Transition['events'] = [{ type: 'powerChanged', power: 'off' }];
  const job = state.nvram.resetJob;
  if (!job || job.protectedWipe) return { state: off, events };

  // The reset commits its effects only when it completes, so the state before it is still here.
  const rolledBack: DeviceState = { ...off, nvram: { ...off.nvram, resetJob: null } };
  if (state.conditions.rollbackFails) {
    const t = unbootable({ ...rolledBack, boot: 'unusable' }, job.commandId, 'W-PROT-2');
    return { ...t, events: [...events, ...t.events] };
  }
  const reason = refusal('powerLostDuringWipe');
  const outcome: Outcome = { status: 'failed', commandId: job.commandId, reason };
  return {
    state: rolledBack,
    outcome,
    events: [...events, { type: 'resetRolledBack', commandId: job.commandId }],
  };
}

/** Power returns: a protected wipe left in NVRAM starts again and keeps trying (W-PROT-1). */
export function powerOn(device: Device, env: ModelEnv): Transition {
  const { state } = device;
  if (state.power === 'on') return { state, events: [] };
  const on: DeviceState = { ...state, power: 'on' };
  const events: Transition['events'] = [{ type: 'powerChanged', power: 'on' }];
  if (UNBOOTABLE.includes(on.boot)) {
    const specId = on.boot === 'unusable' ? 'W-PROT-2' : 'W-PROT-3';
    return { state: on, events: [...events, { type: 'bootFailed', boot: on.boot, specId }] };
  }
  const job = on.nvram.resetJob;
  if (!job) return { state: on, events };
  const resumed = launch(on, job, device, env);
  return { ...resumed, events: [...events, ...resumed.events] };
}

export function setNetwork(device: Device, network: 'online' | 'offline'): Transition {
  const { state } = device;
  if (state.network === network) return { state, events: [] };
  return { state: { ...state, network }, events: [{ type: 'networkChanged', network }] };
}
