/** A binary min-heap of timers ordered by (atMs, key, seq): the virtual clock's agenda. */
export interface QueuedTimer {
  id: number;
  atMs: number;
  key: string;
  seq: number;
  fn: () => void;
  /** Cancelled timers stay in the heap, marked, until they reach its top. */
  cancelled: boolean;
}

function before(a: QueuedTimer, b: QueuedTimer): boolean {
  if (a.atMs !== b.atMs) return a.atMs < b.atMs;
  if (a.key !== b.key) return a.key < b.key;
  return a.seq < b.seq;
}

/** In place, with no array made for a destructuring swap (the agenda sifts millions of times). */
function swap(h: QueuedTimer[], i: number, j: number): void {
  const t = h[i]!;
  h[i] = h[j]!;
  h[j] = t;
}

/**
 * A cancelled timer is marked, not looked up: a month of a 10,000-device fleet schedules and
 * cancels millions of timers, and sets of their ids churned the old generation for the GC.
 */
/** What a timer's `fn` becomes once it has been taken to run or cancelled (it lets go of its closure). */
const ran = () => {};
/** Below this many entries a heap is never rebuilt: marked timers cost little there. */
const COMPACT_AT = 1024;

export class TimerQueue {
  private heap: QueuedTimer[] = [];
  private live = 0;

  get size(): number {
    return this.live;
  }

  push(timer: QueuedTimer): void {
    this.live++;
    const h = this.heap;
    h.push(timer);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(h[i]!, h[parent]!)) break;
      swap(h, i, parent);
      i = parent;
    }
  }

  /**
   * Marks a timer of this queue cancelled (once: a timer run or cancelled before is left alone) and
   * lets go of its closure. When the marked outnumber the live, the heap is rebuilt without them:
   * on a scaled clock a check-in moved by a push leaves its old timer hours of sim time from the top.
   */
  cancel(timer: QueuedTimer): void {
    if (timer.cancelled || timer.fn === ran) return;
    timer.cancelled = true;
    timer.fn = ran;
    this.live--;
    if (this.heap.length > COMPACT_AT && this.heap.length > 2 * this.live) this.compact();
  }

  private compact(): void {
    const h = this.heap.filter((t) => !t.cancelled);
    // Floyd's heap construction: sift down every parent, last first.
    for (let i = (h.length >> 1) - 1; i >= 0; i--) siftDown(h, i);
    this.heap = h;
  }

  /** The next live timer, without removing it. */
  peek(): QueuedTimer | undefined {
    this.dropCancelled();
    return this.heap[0];
  }

  /** Takes the next live timer off the queue; its `fn` is the caller's to run. */
  pop(): (() => void) | undefined {
    this.dropCancelled();
    const top = this.take();
    if (!top) return undefined;
    this.live--;
    const { fn } = top;
    top.fn = ran; // a handle kept after its timer ran cancels nothing
    return fn;
  }

  private dropCancelled(): void {
    while (this.heap.length > 0 && this.heap[0]!.cancelled) this.take();
  }

  private take(): QueuedTimer | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      h[0] = last;
      siftDown(h, 0);
    }
    return top;
  }
}

function siftDown(h: QueuedTimer[], from: number): void {
  let i = from;
  for (;;) {
    const l = 2 * i + 1;
    const r = l + 1;
    let m = i;
    if (l < h.length && before(h[l]!, h[m]!)) m = l;
    if (r < h.length && before(h[r]!, h[m]!)) m = r;
    if (m === i) break;
    swap(h, i, m);
    i = m;
  }
}
