/**
 * A device's saves and sends: what the device tells the service (an acknowledgement, a result)
 * never leaves before the state that produced it is stored. While it handles one message from the
 * service, saves and sends are held, then it saves once and sends what it held, in order: a command
 * message costs one save instead of one per step (each a JSON of the whole device and an SQLite write).
 * The store may commit later (group commit, once per event-loop turn): until it has, every send
 * waits behind the save, so nothing a device says runs ahead of what it has stored.
 */
/** Where a device's saves and sends go. */
export interface SaveThenSendIo {
  /** Stores the device, then calls `then`: at once, or after the store's next commit. */
  save(then: () => void): void;
  /** Publishes on the open connection, if there is one. */
  publish(topic: string, body: object): void;
  /** Commits whatever the store holds now (before a connection drops). */
  commitNow(): void;
}

export class SaveThenSend {
  private held: { dirty: boolean; out: { topic: string; body: object }[] } | null = null;
  /** Sends waiting for a save the store has not committed yet; null when none is pending. */
  private waiting: { topic: string; body: object }[] | null = null;

  constructor(private readonly io: SaveThenSendIo) {}

  /** Saves now, or once at the end of the message being handled. */
  save(): void {
    if (this.held) this.held.dirty = true;
    else this.commit();
  }

  /** Sends now, or after the save it must follow. */
  send(topic: string, body: object): void {
    if (this.held) this.held.out.push({ topic, body });
    else this.sendAfterSave(topic, body);
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

  /** Saves and sends what is held now; holding goes on. */
  release(): void {
    const held = this.held;
    if (!held) return;
    this.held = null;
    if (held.dirty) this.commit();
    for (const m of held.out) this.sendAfterSave(m.topic, m.body);
    this.held = { dirty: false, out: [] };
  }

  /** Before the connection drops: what is held is saved and committed, and what it owed goes out first. */
  releaseNow(): void {
    this.release();
    if (this.waiting) this.io.commitNow();
  }

  private commit(): void {
    if (this.waiting) return; // the pending commit reads the device as it is then
    this.waiting = [];
    this.io.save(() => {
      const out = this.waiting ?? [];
      this.waiting = null;
      for (const m of out) this.io.publish(m.topic, m.body);
    });
  }

  private sendAfterSave(topic: string, body: object): void {
    if (this.waiting) this.waiting.push({ topic, body });
    else this.io.publish(topic, body);
  }
}
