import type { DeviceIdentity } from '../../sim/device-identity.ts';
import type { BootState, DeviceState } from '../../sim/device-state.ts';
import type { ModelEvent } from '../../sim/model-events.ts';
import type { Rng } from '../../sim/prng.ts';
import type { Refusal } from '../../sim/reasons.ts';

/** A device as the model sees it: what it is, and what it holds now. */
export interface Device {
  readonly identity: DeviceIdentity;
  readonly state: DeviceState;
}

export type { Command } from '../../sim/command.ts';

/** What the model needs from outside: the sim time and a seeded random source. */
export interface ModelEnv {
  nowMs: number;
  rng: Rng;
}

/**
 * How a command (or a power event) ended, from the device's side.
 * - done: the effects are applied; `rules` lists the spec rows that applied.
 * - inProgress: a reset is running and completes at `completesAtMs` unless power is lost.
 * - failed / notSupported: nothing changed; `reason` says why.
 * - unbootable: the device cannot start and will never report (W-PROT-2, W-PROT-3).
 */
export type Outcome =
  | { status: 'done'; commandId: string; rules: string[] }
  | { status: 'inProgress'; commandId: string; completesAtMs: number }
  | { status: 'failed'; commandId: string; reason: Refusal }
  | { status: 'notSupported'; commandId: string; reason: Refusal }
  | { status: 'unbootable'; commandId: string; boot: BootState; specId: string };

export type { ModelEvent } from '../../sim/model-events.ts';

export interface Transition {
  state: DeviceState;
  /** Absent when a power or network change ends no command. */
  outcome?: Outcome;
  events: ModelEvent[];
}
