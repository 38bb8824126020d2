/**
 * The sending half: messages that change the receiver's state stay here (persisted by the owner
 * with the rest of its state) until the receiver says it committed them — an application
 * acknowledgement sent after the receiver's commit, not the broker's PUBACK. Until then every
 * resend opportunity (a connection, a check-in) sends all of them again.
 */
export class DurableOutbox<T extends { commandId: string }> {
  constructor(private readonly items: T[]) {}

  /** Adds a message (replacing an older one with the same id: the newest word on it counts). */
  put(message: T): void {
    const i = this.items.findIndex((m) => m.commandId === message.commandId);
    if (i >= 0) this.items[i] = message;
    else this.items.push(message);
  }

  /** The receiver committed these: they need never be sent again. Returns how many were dropped. */
  committed(ids: readonly string[]): number {
    const before = this.items.length;
    const gone = new Set(ids);
    for (let i = this.items.length - 1; i >= 0; i--)
      if (gone.has(this.items[i]!.commandId)) this.items.splice(i, 1);
    return before - this.items.length;
  }

  get(id: string): T | undefined {
    return this.items.find((m) => m.commandId === id);
  }

  pending(): readonly T[] {
    return this.items;
  }

  get size(): number {
    return this.items.length;
  }
}
