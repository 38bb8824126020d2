import type { BootState } from './device-state.ts';
import type { Refusal } from './reasons.ts';

/** Facts the model reports about itself; the runtime turns them into log events with device ids. */
export type ModelEvent =
  | {
      type: 'commandApplied';
      commandId: string;
      command: 'wipe' | 'retire' | 'freshStart' | 'sync';
      rules: string[];
    }
  | { type: 'commandRefused'; commandId: string; reason: Refusal }
  | {
      type: 'resetStarted';
      commandId: string;
      protectedWipe: boolean;
      completesAtMs: number;
      attempt: number;
    }
  | { type: 'resetCompleted'; commandId: string; rules: string[] }
  | { type: 'resetRolledBack'; commandId: string }
  | { type: 'resetFailed'; commandId: string; reason: Refusal }
  | { type: 'bootFailed'; boot: BootState; specId: string }
  | { type: 'policiesApplied'; policyIds: string[]; specId: 'W-5' }
  | { type: 'powerChanged'; power: 'on' | 'off' }
  | { type: 'networkChanged'; network: 'online' | 'offline' };
