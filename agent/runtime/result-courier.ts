import type { Clock, TimerHandle } from '../../sim/clock/types.ts';
import { type DeviceUp, WIRE_VERSION } from '../../sim/wire/schemas.ts';
import { DurableOutbox } from '../../transport/delivery/outbox.ts';

export type ResultMessage = Extract<DeviceUp, { type: 'result' }>;
export type ResultBody = Omit<ResultMessage, 'v' | 'seq' | 'sentAtMs'>;

/** Results the service has not acknowledged this long (real time) after sending are sent again. */
export const RESULT_RESEND_MS = 10_000;

export interface ResultCourierDeps {
  readonly clock: Clock;
  readonly serialNumber: string;
  /** Publishes one result on the open connection; false when there is none. */
  send(body: ResultBody): boolean;
  /** No acknowledgement came in time: get a connection and send again. */
  redeliver(): void;
}

/**
 * A device's results on their way to the service: kept (in the agent's saved state, persisted
 * with it) until the service acknowledges its commit, sent at every chance, and sent again after
 * a while when no acknowledgement came.
 */
export class ResultCourier {
  private readonly outbox: DurableOutbox<ResultMessage>;
  private resendTimer: TimerHandle | null = null;

  constructor(
    /** The agent's saved array: mutated in place, so persisting the agent persists the results. */
    saved: ResultMessage[],
    private readonly deps: ResultCourierDeps,
  ) {
    this.outbox = new DurableOutbox(saved);
  }

  get size(): number {
    return this.outbox.size;
  }

  put(body: ResultBody): void {
    this.outbox.put({ v: WIRE_VERSION, seq: 0, sentAtMs: 0, ...body });
  }

  /** Sends one result again, if it is still owed (a repeated command's answer). */
  resend(commandId: string): void {
    const r = this.outbox.get(commandId);
    if (r) this.deps.send(bodyOf(r));
  }

  /** Sends one new result, and arms the resend timer. */
  send(commandId: string): void {
    const r = this.outbox.get(commandId);
    if (r && this.deps.send(bodyOf(r))) this.arm();
  }

  /** Sends every result not yet acknowledged, and arms the resend timer. */
  flush(): void {
    if (this.outbox.size === 0) return;
    for (const r of this.outbox.pending()) if (!this.deps.send(bodyOf(r))) return;
    this.arm();
  }

  private arm(): void {
    if (this.resendTimer) return;
    const { clock } = this.deps;
    this.resendTimer = clock.schedule(
      clock.now() + clock.simMsOfRealMs(RESULT_RESEND_MS),
      `agent:${this.deps.serialNumber}:resend`,
      () => {
        this.resendTimer = null;
        if (this.outbox.size > 0) this.deps.redeliver();
      },
    );
  }

  /** The service committed these; returns how many were still owed. */
  committed(commandIds: readonly string[]): number {
    const dropped = this.outbox.committed(commandIds);
    if (this.outbox.size === 0) this.cancel();
    return dropped;
  }

  /** Nobody is left to take them (the credentials are gone): forget them all. */
  clear(): void {
    this.outbox.committed(this.outbox.pending().map((r) => r.commandId));
    this.cancel();
  }

  cancel(): void {
    if (this.resendTimer) this.deps.clock.cancel(this.resendTimer);
    this.resendTimer = null;
  }
}

function bodyOf(r: ResultMessage): ResultBody {
  const { v: _v, seq: _s, sentAtMs: _t, ...body } = r;
  return body;
}
