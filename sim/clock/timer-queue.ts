/** A binary min-heap of timers ordered by (atMs, key, seq): the virtual clock's agenda. */
export interface QueuedTimer {
  id: number;
  atMs: number;
  key: string;
  seq: number;
  fn: () => void;
}

function before(a: QueuedTimer, b: QueuedTimer): boolean {
  if (a.atMs !== b.atMs) return a.atMs < b.atMs;
  if (a.key !== b.key) return a.key < b.key;
  return a.seq < b.seq;
}

export class TimerQueue {
  private heap: QueuedTimer[] = [];
  private cancelled = new Set<number>();
  private live = new Set<number>();

  get size(): number {
    return this.live.size;
  }

  push(timer: QueuedTimer): void {
    this.live.add(timer.id);
    const h = this.heap;
    h.push(timer);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(h[i]!, h[parent]!)) break;
      [h[i], h[parent]] = [h[parent]!, h[i]!];
      i = parent;
    }
  }

  cancel(id: number): void {
    if (this.live.delete(id)) this.cancelled.add(id);
  }

  /** The next live timer, without removing it. */
  peek(): QueuedTimer | undefined {
    this.dropCancelled();
    return this.heap[0];
  }

  pop(): QueuedTimer | undefined {
    this.dropCancelled();
    const top = this.take();
    if (top) this.live.delete(top.id);
    return top;
  }

  private dropCancelled(): void {
    while (this.heap.length > 0 && this.cancelled.has(this.heap[0]!.id)) {
      this.cancelled.delete(this.heap[0]!.id);
      this.take();
    }
  }

  private take(): QueuedTimer | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && before(h[l]!, h[m]!)) m = l;
        if (r < h.length && before(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
}
