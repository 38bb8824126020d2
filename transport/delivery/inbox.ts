/** How many committed message ids a receiver remembers to recognise repeats. */
export const INBOX_IDS_MAX = 512;

/**
 * The receiving half of exactly-once effect: ids of the messages already committed, so a repeat
 * (a sender resends until it hears of the commit) is answered, not run
 * again. Bounded: the oldest ids go first; a sender stops resending long before that many newer
 * messages have been committed.
 */
export class Inbox {
  private readonly ids: Set<string>;

  constructor(
    saved: readonly string[] = [],
    private readonly capacity = INBOX_IDS_MAX,
  ) {
    this.ids = new Set(saved.slice(-capacity));
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  /** Records a commit; returns false when the id was already there (a repeat). */
  add(id: string): boolean {
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    if (this.ids.size > this.capacity) this.ids.delete(this.ids.values().next().value!);
    return true;
  }

  /** What to persist with the receiver's state. */
  toJSON(): string[] {
    return [...this.ids];
  }
}
