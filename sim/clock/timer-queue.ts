/** A min-heap of timers ordered by (atMs, key, seq): the virtual clock's agenda. */
export interface QueuedTimer {
  id: number;
  atMs: number;
  key: string;
  seq: number;
  fn: () => void;
  /** Cancelled timers stay in the heap, marked, until they reach its top. */
  cancelled: boolean;
}

/** The order of two timers due at the same instant. */
function tieBefore(a: QueuedTimer, b: QueuedTimer): boolean {
  if (a.key !== b.key) return a.key < b.key;
  return a.seq < b.seq;
}

/**
 * A cancelled timer is marked, not looked up: a month of a 10,000-device fleet schedules and
 * cancels millions of timers, and sets of their ids churned the old generation for the GC.
 */
/** What a timer's `fn` becomes once it has been taken to run or cancelled (it lets go of its closure). */
const ran = () => {};

/** The timer was taken off its queue to run (not cancelled): it is in no queue, free to be used again. */
export const hasRun = (timer: QueuedTimer): boolean => timer.fn === ran && !timer.cancelled;
/** Below this many entries a heap is never rebuilt: marked timers cost little there. */
const COMPACT_AT = 1024;
/** Children per node: half the levels of a binary heap, and a node's children's times share a cache line. */
const ARITY = 4;

/**
 * The heap keeps each timer's time in a typed array beside it, so a sift compares numbers read in
 * a row and touches a timer object only on a tie (rare: almost every instant has one timer). With
 * the objects themselves compared, every level of a sift read objects spread over the whole JS
 * heap, and `advanceTo` took 1.0 µs per check-in at 10,000 devices and 2.0 at 50,000 (issue 11).
 * A pop and a push, measured alone: 0.64 → 0.57 µs with 10,000 timers, 2.5 → 1.9 with 250,000;
 * the month bench did not move beyond its spread.
 */
export class TimerQueue {
  private heap: QueuedTimer[] = [];
  private at = new Float64Array(COMPACT_AT);
  private live = 0;

  get size(): number {
    return this.live;
  }

  push(timer: QueuedTimer): void {
    this.live++;
    const h = this.heap;
    let i = h.length;
    if (i === this.at.length) this.grow();
    h.push(timer);
    const at = this.at;
    const t = timer.atMs;
    // Sift up with a hole: parents move down until the new timer's place is found.
    while (i > 0) {
      const p = ((i - 1) / ARITY) | 0;
      const pt = at[p]!;
      if (pt < t || (pt === t && !tieBefore(timer, h[p]!))) break;
      h[i] = h[p]!;
      at[i] = pt;
      i = p;
    }
    h[i] = timer;
    at[i] = t;
  }

  private grow(): void {
    const bigger = new Float64Array(this.at.length * 2);
    bigger.set(this.at);
    this.at = bigger;
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
    const at = this.at;
    for (let i = 0; i < h.length; i++) at[i] = h[i]!.atMs;
    this.heap = h;
    // Floyd's heap construction: sift down every parent, last first.
    for (let i = ((h.length - 2) / ARITY) | 0; i >= 0; i--) this.siftDown(i);
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
      this.at[0] = this.at[h.length]!;
      this.siftDown(0);
    }
    return top;
  }

  /** Sift down with a hole: the smallest child moves up until the timer's place is found. */
  private siftDown(from: number): void {
    const h = this.heap;
    const at = this.at;
    const n = h.length;
    if (from >= n) return;
    const timer = h[from]!;
    const t = at[from]!;
    let i = from;
    for (;;) {
      const first = ARITY * i + 1;
      if (first >= n) break;
      const end = Math.min(first + ARITY, n);
      let m = first;
      let mt = at[first]!;
      for (let c = first + 1; c < end; c++) {
        const ct = at[c]!;
        if (ct < mt || (ct === mt && tieBefore(h[c]!, h[m]!))) {
          m = c;
          mt = ct;
        }
      }
      if (t < mt || (t === mt && !tieBefore(h[m]!, timer))) break;
      h[i] = h[m]!;
      at[i] = mt;
      i = m;
    }
    h[i] = timer;
    at[i] = t;
  }
}
