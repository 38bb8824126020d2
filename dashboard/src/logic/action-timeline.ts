import type { FleetEvent } from '../../../sim/events.ts';
import { PROPAGATION_LIMIT_MS } from './histogram.ts';

/** One action's way to its device, in sim time: requested, delivered, acknowledged, completed. */
export interface ActionTimes {
  actionId: string;
  deviceId: string;
  action: string;
  requestedAtMs: number;
  deliveredAtMs: number | null;
  acknowledgedAtMs: number | null;
  completedAtMs: number | null;
  status: string | null;
}

/** Actions remembered for the timeline; the oldest are forgotten past this. */
const ACTIONS_KEPT = 500;

/** Follows actions through the event stream, keyed by action id. */
export class ActionTracker {
  private readonly actions = new Map<string, ActionTimes>();

  apply(e: FleetEvent): void {
    if (e.type === 'action.requested') {
      this.actions.set(e.actionId, {
        actionId: e.actionId,
        deviceId: e.deviceId,
        action: e.action,
        requestedAtMs: e.atMs,
        deliveredAtMs: null,
        acknowledgedAtMs: null,
        completedAtMs: null,
        status: null,
      });
      if (this.actions.size > ACTIONS_KEPT) this.actions.delete(this.actions.keys().next().value!);
      return;
    }
    const a = 'actionId' in e ? this.actions.get(e.actionId) : undefined;
    if (!a) return;
    // A redelivery keeps the first time: propagation is measured to the first delivery.
    if (e.type === 'action.delivered') a.deliveredAtMs ??= e.atMs;
    else if (e.type === 'action.acknowledged') a.acknowledgedAtMs ??= e.atMs;
    else if (e.type === 'action.completed') {
      a.completedAtMs = e.atMs;
      a.status = e.status;
    }
  }

  /** The `n` most recently requested actions, oldest first. */
  recent(n: number): ActionTimes[] {
    return [...this.actions.values()].slice(-n);
  }
}

export interface TimelineRow {
  action: ActionTimes;
  /** x positions (px) from the request, at 0, to each stage reached; null for stages not reached. */
  deliveredX: number | null;
  acknowledgedX: number | null;
  completedX: number | null;
  /** Where the bar ends: the last stage reached, or now for an action still on its way. */
  endX: number;
  /** Acknowledged after the 15-minute line, or still unacknowledged and already past it. */
  late: boolean;
  /** Went on past the right edge. */
  clipped: boolean;
}

export interface TimelineLayout {
  /** The time the right edge stands for, from the request: at least 30 minutes, at most 4 hours. */
  spanMs: number;
  limitX: number;
  rows: TimelineRow[];
}

const SPAN_MIN_MS = 2 * PROPAGATION_LIMIT_MS;
const SPAN_MAX_MS = 4 * 3600_000;

/** Each action as a bar from its request (x = 0), so the 15-minute line is one vertical line for all. */
export function layoutTimeline(
  actions: readonly ActionTimes[],
  nowMs: number,
  width: number,
): TimelineLayout {
  const ends = actions.map((a) => (a.completedAtMs ?? nowMs) - a.requestedAtMs);
  const spanMs = Math.min(SPAN_MAX_MS, Math.max(SPAN_MIN_MS, ...ends));
  const x = (ms: number) => (Math.min(ms, spanMs) / spanMs) * width;
  const at = (t: number | null, a: ActionTimes) => (t === null ? null : x(t - a.requestedAtMs));
  return {
    spanMs,
    limitX: x(PROPAGATION_LIMIT_MS),
    rows: actions.map((a, i) => {
      const ack = a.acknowledgedAtMs;
      return {
        action: a,
        deliveredX: at(a.deliveredAtMs, a),
        acknowledgedX: at(ack, a),
        completedX: at(a.completedAtMs, a),
        endX: x(ends[i]!),
        late:
          ack !== null
            ? ack - a.requestedAtMs > PROPAGATION_LIMIT_MS
            : a.completedAtMs === null && nowMs - a.requestedAtMs > PROPAGATION_LIMIT_MS,
        clipped: ends[i]! > spanMs,
      };
    }),
  };
}
