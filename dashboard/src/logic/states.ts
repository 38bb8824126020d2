import type { ManagementState } from '../../../sim/management-state.ts';

/**
 * What a tile shows: Graph's managementState, or one of two states fleetsim adds for devices that
 * have no listed record — still enrolling (never had one) or removed (its record went away).
 */
export type TileState = ManagementState | 'enrolling' | 'removed';

/** Colour and legend order of every tile state; each 3:1 or more on the page and the legend (tested). */
export const TILE_STATES: readonly { state: TileState; label: string; colour: string }[] = [
  { state: 'managed', label: 'managed', colour: '#3fb950' },
  { state: 'enrolling', label: 'enrolling', colour: '#6e7681' },
  { state: 'discovered', label: 'discovered', colour: '#58a6ff' },
  { state: 'wipeIssued', label: 'wipe issued', colour: '#d29922' },
  { state: 'retireIssued', label: 'retire issued', colour: '#e3b341' },
  { state: 'wipePending', label: 'wipe pending', colour: '#f0883e' },
  { state: 'retirePending', label: 'retire pending', colour: '#ffa657' },
  { state: 'wipeFailed', label: 'wipe failed', colour: '#f85149' },
  { state: 'retireFailed', label: 'retire failed', colour: '#ff7b72' },
  { state: 'deletePending', label: 'delete pending', colour: '#bc8cff' },
  { state: 'wipeCanceled', label: 'wipe canceled', colour: '#8b949e' },
  { state: 'retireCanceled', label: 'retire canceled', colour: '#8b949e' },
  { state: 'unhealthy', label: 'unhealthy', colour: '#db61a2' },
  { state: 'removed', label: 'removed', colour: '#9a7b66' },
];

const BY_STATE = new Map(TILE_STATES.map((s) => [s.state, s]));

export function stateColour(state: TileState): string {
  return BY_STATE.get(state)?.colour ?? '#8b949e';
}

export function stateLabel(state: TileState): string {
  return BY_STATE.get(state)?.label ?? state;
}
