import type { ManagementState } from './management-state.ts';
import type { ModelEvent } from './model-events.ts';
import type { PlatformId, PushChannel } from './platforms/types.ts';
import { RoutineRing, routineKind } from './routine-ring.ts';

/**
 * The one typed event log: every admin action, push, check-in, command delivery, result, state
 * change, power and network change, fault and rejected message, stamped with sim time. Logs,
 * metrics, the dashboard and reports all derive from it. `seq` orders events at the same instant.
 */
export type FleetEventBody =
  | {
      type: 'device.enrolled';
      deviceId: string;
      channelId: string;
      serialNumber: string;
      platform: PlatformId;
      automatic: boolean;
    }
  | { type: 'device.enrollRefused'; serialNumber: string; reason: string }
  | { type: 'device.reappeared'; deviceId: string; previousId: string; specId: 'D-4' }
  /** A serial number still managed enrolled again from a device that differs in `differs`. */
  | {
      type: 'device.serialConflict';
      serialNumber: string;
      deviceId: string;
      previousId: string;
      differs: string[];
    }
  /** An enrollment request came again (its answer was lost): the same record, new credentials. */
  | { type: 'device.enrollRepeated'; deviceId: string; requestId: string; serialNumber: string }
  | {
      type: 'action.requested';
      deviceId: string;
      actionId: string;
      action: string;
      options: Record<string, unknown>;
      initiatedBy: string;
      source: 'admin' | 'companyPortal' | 'service';
    }
  | {
      type: 'action.refused';
      deviceId: string;
      action: string;
      code: string;
      specId: string;
      initiatedBy: string;
    }
  /** A request identical to an action still open on the device: it joined that action. */
  | { type: 'action.coalesced'; deviceId: string; actionId: string; action: string; initiatedBy: string }
  | { type: 'action.delivered'; deviceId: string; actionId: string; action: string }
  | { type: 'action.acknowledged'; deviceId: string; actionId: string; action: string; propagationMs: number }
  | {
      type: 'action.completed';
      deviceId: string;
      actionId: string;
      action: string;
      status: string;
      reasonCode?: string;
      rules: string[];
    }
  | { type: 'push.sent'; deviceId: string; channel: PushChannel; attempt: number }
  | { type: 'push.suppressed'; deviceId: string; channel: PushChannel; attempt: number }
  | { type: 'push.channel'; channel: PushChannel; up: boolean }
  /** dueAtMs: when the check-in was due (the device's own word; its send time when it was on time). */
  | { type: 'device.checkIn'; deviceId: string; reason: string; dueAtMs: number }
  | { type: 'device.managementState'; deviceId: string; from: ManagementState; to: ManagementState }
  | {
      type: 'device.removed';
      deviceId: string;
      why: 'wipe' | 'retire' | 'delete' | 'cleanup' | 'certificateExpired' | 'freshStart';
      specId: string;
    }
  | { type: 'device.deletePending'; deviceId: string; specId: 'D-1' }
  | { type: 'credentials.revoked'; deviceId: string; channelId: string }
  | { type: 'cleanup.settings'; days: number }
  | { type: 'directory.userDeleted'; userPrincipalName: string }
  | { type: 'directory.deviceDeleted'; azureADDeviceId: string; specId: string }
  | { type: 'abm.assignment'; serialNumber: string; assigned: boolean }
  | { type: 'agent.model'; serialNumber: string; deviceId: string | null; event: ModelEvent }
  | { type: 'agent.power'; serialNumber: string; power: 'on' | 'off' }
  | { type: 'agent.network'; serialNumber: string; network: 'online' | 'offline' }
  | { type: 'agent.checkIn'; serialNumber: string; reason: string }
  /** An agent could not connect or enroll and will try again after `retryInMs` (sim time). */
  | {
      type: 'agent.retry';
      serialNumber: string;
      step: 'connect' | 'enroll';
      attempt: number;
      reason: string;
      retryInMs: number;
    }
  /** A device out of management knows its final result was recorded: it let go of its credentials. */
  | { type: 'agent.released'; serialNumber: string; how: 'acknowledged' | 'credentialsRevoked' }
  | { type: 'wire.rejected'; clientId: string; topic: string; reason: string }
  | { type: 'auth.refused'; clientId: string; username: string; reason: string };

export type FleetEvent = FleetEventBody & { atMs: number; seq: number };
export type FleetEventType = FleetEvent['type'];

export type EventListener = (event: FleetEvent) => void;

/** How many events the log holds: a device's story at most a quarter more; routine traffic apart. */
export const EVENT_LOG_CAPACITY = 200_000;
export const ROUTINE_EVENT_CAPACITY = 50_000;

/** The newest events of one kind: once a quarter past `capacity`, the oldest go. */
class EventRing {
  events: FleetEvent[] = [];
  dropped = 0;

  constructor(readonly capacity: number) {}

  push(event: FleetEvent): void {
    this.events.push(event);
    // Trim in chunks, so keeping the log bounded costs O(1) per event, not a copy of it.
    if (this.events.length > this.capacity * 1.25) {
      this.dropped += this.events.length - this.capacity;
      this.events = this.events.slice(this.events.length - this.capacity);
    }
  }
}

export interface EventLogStats {
  /** Events held, dropped from memory, and the bound, routine traffic included. */
  held: number;
  dropped: number;
  capacity: number;
}

/**
 * Bounded: the oldest go (sinks and listeners have already had them), routine traffic and the
 * rest each in their own bound; `dropped` counts them, and GET /sim/stats shows it.
 */
export class EventLog {
  private readonly story: EventRing;
  private readonly routine: RoutineRing;
  private listeners = new Set<EventListener>();
  private nextSeq = 0;

  constructor(
    private readonly now: () => number,
    capacity = EVENT_LOG_CAPACITY,
    routineCapacity = Math.min(capacity, ROUTINE_EVENT_CAPACITY),
  ) {
    this.story = new EventRing(capacity);
    this.routine = new RoutineRing(routineCapacity);
  }

  append(body: FleetEventBody): void {
    const atMs = this.now();
    const seq = this.nextSeq++;
    const kind = routineKind(body.type);
    if (kind !== -1) {
      this.routine.push(kind, body, atMs, seq);
      if (this.listeners.size > 0) this.tell(RoutineRing.event(kind, body, atMs, seq));
      return;
    }
    // Not a spread: a spread of a body of any of the log's many types gave every event a hidden
    // class of its own (~0.4 KB per device of V8 maps at 10,000 devices); added one by one, events
    // of a type share one.
    const event = Object.assign({}, body) as FleetEvent;
    event.atMs = atMs;
    event.seq = seq;
    this.story.push(event);
    this.tell(event);
  }

  private tell(event: FleetEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  on(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  stats(): EventLogStats {
    return {
      held: this.story.events.length + this.routine.length,
      dropped: this.story.dropped + this.routine.dropped,
      capacity: this.story.capacity + this.routine.capacity,
    };
  }

  /** How many events were ever appended (a count that changes whenever anything is logged). */
  get appended(): number {
    return this.nextSeq;
  }

  /** How many events other than routine traffic were dropped: a device's story starts late by these. */
  storyDropped(): number {
    return this.story.dropped;
  }

  /** Every event held, in order. */
  all(): readonly FleetEvent[] {
    return mergeBySeq(this.story.events, this.routine.events());
  }

  /** The events held that `keep` accepts, in order: each kind filtered (routine events made objects to be judged), then merged. */
  select(keep: (event: FleetEvent) => boolean): FleetEvent[] {
    return mergeBySeq(this.story.events.filter(keep), this.routine.events().filter(keep));
  }

  /** The events held other than routine traffic (routine-ring.ts), in order. */
  storyEvents(): readonly FleetEvent[] {
    return this.story.events;
  }

  ofType<T extends FleetEventType>(type: T): Extract<FleetEvent, { type: T }>[] {
    const kind = routineKind(type);
    const held = kind === -1 ? this.story.events : this.routine.events(kind);
    return held.filter((e): e is Extract<FleetEvent, { type: T }> => e.type === type);
  }
}

/** Two runs of events, each in seq order, as one. */
function mergeBySeq(a: readonly FleetEvent[], b: readonly FleetEvent[]): FleetEvent[] {
  if (b.length === 0) return a.slice();
  if (a.length === 0) return b.slice();
  const out = new Array<FleetEvent>(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = a[i]!.seq < b[j]!.seq ? a[i++]! : b[j++]!;
  while (i < a.length) out[k++] = a[i++]!;
  while (j < b.length) out[k++] = b[j++]!;
  return out;
}
