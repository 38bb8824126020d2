/**
 * Time in fleetsim. Everything reads sim time from an injected Clock and schedules work on it;
 * nothing outside the clock implementations touches Date.now or setTimeout.
 */
export interface TimerHandle {
  readonly id: number;
}

export interface Clock {
  readonly mode: 'virtual' | 'scaled';
  /** Sim time, ms since the Unix epoch. */
  now(): number;
  /**
   * Runs `fn` at sim time `atMs` (or as soon as possible if that is past). Timers due at the same
   * instant run in `key` order, then in scheduling order: the canonical tie-break that makes a
   * virtual run deterministic.
   *
   * `reuse`: a handle this clock gave for a timer that has since run, held by the caller alone: the
   * clock may make it the new timer's rather than make another (a device re-arms its check-in timer
   * every check-in, and each new timer lived hours of sim time, into the old generation). A clock
   * that does not reuse ignores it.
   */
  schedule(atMs: number, key: string, fn: () => void, reuse?: TimerHandle): TimerHandle;
  cancel(handle: TimerHandle): void;
  /**
   * The sim time that `realMs` of real time takes: waits that belong to the real world (a network
   * retry, a timeout for an answer) are real time on a scaled clock, and sim time on a virtual one.
   */
  simMsOfRealMs(realMs: number): number;
}
