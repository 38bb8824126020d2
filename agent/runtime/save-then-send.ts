/**
 * A device's saves and sends while it handles one message from the service: held, then one save
 * and what was sent, in order. What the device tells the service (an acknowledgement, a result)
 * never leaves before the state that produced it is stored, and a command message costs one save
 * instead of one per step (each a JSON of the whole device and an SQLite write).
 */
export class SaveThenSend {
  private held: { dirty: boolean; out: { topic: string; body: object }[] } | null = null;

  constructor(
    private readonly io: {
      save(): void;
      /** Publishes on the open connection, if there is one. */
      publish(topic: string, body: object): void;
    },
  ) {}

  /** Saves now, or once at the end of the message being handled. */
  save(): void {
    if (this.held) this.held.dirty = true;
    else this.io.save();
  }

  /** Sends now, or after that save. */
  send(topic: string, body: object): void {
    if (this.held) this.held.out.push({ topic, body });
    else this.io.publish(topic, body);
  }

  /** Runs `fn` holding its saves and sends, then releases them. */
  run(fn: () => void): void {
    this.held = { dirty: false, out: [] };
    try {
      fn();
    } finally {
      this.release();
      this.held = null;
    }
  }

  /** Saves and sends what is held now (before a connection drops, say); holding goes on. */
  release(): void {
    const held = this.held;
    if (!held) return;
    this.held = null;
    if (held.dirty) this.io.save();
    for (const m of held.out) this.io.publish(m.topic, m.body);
    this.held = { dirty: false, out: [] };
  }
}
