import type { FleetEvent, FleetEventBody } from './events.ts';

type Of<T extends FleetEvent['type']> = Extract<FleetEventBody, { type: T }>;

/** How one routine event's fields go into the ring's three columns and come back, in their order. */
interface RoutineCodec<T extends FleetEvent['type']> {
  subject(body: Of<T>): string;
  text(body: Of<T>): string;
  num(body: Of<T>): number;
  event(subject: string, text: string, num: number, atMs: number, seq: number): FleetEvent;
}

/**
 * Routine traffic, field by field: what the ring stores of each kind. The objects come back with
 * their keys in the order the service and agents write them, so a log reads the same as before.
 */
const CODECS = {
  'device.checkIn': {
    subject: (b) => b.deviceId,
    text: (b) => b.reason,
    num: (b) => b.dueAtMs,
    event: (deviceId, reason, dueAtMs, atMs, seq) => ({
      type: 'device.checkIn',
      deviceId,
      reason,
      dueAtMs,
      atMs,
      seq,
    }),
  } satisfies RoutineCodec<'device.checkIn'>,
  'agent.checkIn': {
    subject: (b) => b.serialNumber,
    text: (b) => b.reason,
    num: () => 0,
    event: (serialNumber, reason, _num, atMs, seq) => ({
      type: 'agent.checkIn',
      serialNumber,
      reason,
      atMs,
      seq,
    }),
  } satisfies RoutineCodec<'agent.checkIn'>,
  'push.sent': {
    subject: (b) => b.deviceId,
    text: (b) => b.channel,
    num: (b) => b.attempt,
    event: (deviceId, channel, attempt, atMs, seq) => ({
      type: 'push.sent',
      deviceId,
      channel: channel as Of<'push.sent'>['channel'],
      attempt,
      atMs,
      seq,
    }),
  } satisfies RoutineCodec<'push.sent'>,
};

export type RoutineEventType = keyof typeof CODECS;
const KINDS = Object.keys(CODECS) as RoutineEventType[];
const KIND_OF = new Map(KINDS.map((type, i) => [type as string, i]));
// One table for every kind, typed loosely: each codec only ever sees its own kind's bodies.
const CODEC_LIST = KINDS.map((type) => CODECS[type]) as unknown as RoutineCodec<RoutineEventType>[];

/**
 * The routine kind's index, or -1 for an event of a device's story. Routine traffic is a device's
 * scheduled check-ins and the pushes that wake it: a big fleet makes them by the hundred thousand
 * a sim day, so held with everything else they would push the events that tell a device's story
 * (enrollment, actions, removal) out of the log within hours.
 */
export const routineKind = (type: string): number => KIND_OF.get(type) ?? -1;

/** The smallest ring a log starts with; it doubles up to its capacity as events come. */
const FIRST_SIZE = 1024;

/**
 * The newest `capacity` routine events, kept as columns in a circular buffer rather than as
 * objects. An object per check-in lived for a sim day or two, long enough to be copied into the
 * old generation, and died there: with the trimming copies of the array that held them, a fifth
 * of everything a month of a 10,000-device fleet promoted (`--promoted-profile`). Stored here, a
 * check-in's event allocates nothing; objects are made again only when the log is read.
 */
export class RoutineRing {
  dropped = 0;
  private kind = new Uint8Array(0);
  private seq = new Float64Array(0);
  private at = new Float64Array(0);
  private num = new Float64Array(0);
  private subject: string[] = [];
  private text: string[] = [];
  /** The slot of the oldest event held, and how many are held. */
  private first = 0;
  private count = 0;

  constructor(readonly capacity: number) {}

  get length(): number {
    return this.count;
  }

  push(kind: number, body: FleetEventBody, atMs: number, seq: number): void {
    if (this.capacity === 0) {
      this.dropped++;
      return;
    }
    if (this.count === this.kind.length && this.kind.length < this.capacity) this.grow();
    let slot: number;
    if (this.count < this.kind.length) {
      slot = (this.first + this.count) % this.kind.length;
      this.count++;
    } else {
      // Full: the oldest goes.
      slot = this.first;
      this.first = (this.first + 1) % this.kind.length;
      this.dropped++;
    }
    const codec = CODEC_LIST[kind]!;
    const b = body as never;
    this.kind[slot] = kind;
    this.seq[slot] = seq;
    this.at[slot] = atMs;
    this.num[slot] = codec.num(b);
    this.subject[slot] = codec.subject(b);
    this.text[slot] = codec.text(b);
  }

  /** The events held, oldest first, as objects; only those of `kind` when it is given. */
  events(kind = -1): FleetEvent[] {
    const out: FleetEvent[] = [];
    const size = this.kind.length;
    for (let i = 0; i < this.count; i++) {
      const slot = (this.first + i) % size;
      const k = this.kind[slot]!;
      if (kind !== -1 && k !== kind) continue;
      out.push(
        CODEC_LIST[k]!.event(
          this.subject[slot]!,
          this.text[slot]!,
          this.num[slot]!,
          this.at[slot]!,
          this.seq[slot]!,
        ),
      );
    }
    return out;
  }

  /** The event as an object, for listeners: they hear every event as it comes. */
  static event(kind: number, body: FleetEventBody, atMs: number, seq: number): FleetEvent {
    const codec = CODEC_LIST[kind]!;
    const b = body as never;
    return codec.event(codec.subject(b), codec.text(b), codec.num(b), atMs, seq);
  }

  private grow(): void {
    const size = Math.min(this.capacity, Math.max(FIRST_SIZE, this.kind.length * 2));
    // Grown only while it has never wrapped round: the events held are in slots 0 to count - 1.
    const grown = <T extends Uint8Array | Float64Array>(old: T, made: T): T => {
      made.set(old);
      return made;
    };
    this.kind = grown(this.kind, new Uint8Array(size));
    this.seq = grown(this.seq, new Float64Array(size));
    this.at = grown(this.at, new Float64Array(size));
    this.num = grown(this.num, new Float64Array(size));
    this.subject = [...this.subject, ...new Array<string>(size - this.subject.length).fill('')];
    this.text = [...this.text, ...new Array<string>(size - this.text.length).fill('')];
  }
}
