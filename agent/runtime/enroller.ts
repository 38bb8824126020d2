import type { TimerHandle } from '../../sim/clock/types.ts';
import {
  decode,
  type EnrollRequest,
  type EnrollResponse,
  enrollResponseSchema,
} from '../../sim/wire/schemas.ts';
import { enrollRequestTopic, enrollResponseTopic } from '../../sim/wire/topics.ts';
import { WireEndpoint } from '../../transport/endpoint.ts';
import type { LinkDeps } from './device-link.ts';
import { closeTracked, isRefusal, scheduleRetry } from './device-link.ts';

/** An answer that has not come this long (real time) after the request is taken as lost. */
export const ENROLL_ANSWER_TIMEOUT_MS = 20_000;

export type EnrollBody = Omit<EnrollRequest, 'v' | 'seq' | 'sentAtMs' | 'requestId' | 'type'>;

/**
 * The device's side of the enrollment exchange. The request id is chosen and stored by the caller
 * before anything is sent, and kept until the answer is stored, so every retry — after a refused
 * connection, a lost answer, a crash of either side — asks the same question and the service
 * answers with the same record. Retries back off exponentially with jitter, and never stop.
 */
export class Enroller {
  private busy = false;
  private attempts = 0;
  /** Waiting for an answer, or for the next attempt: one at a time. */
  private timer: TimerHandle | null = null;
  private stopped = false;
  private current: WireEndpoint | null = null;

  constructor(
    private readonly deps: LinkDeps & { enrollmentToken: string },
    private readonly onAnswer: (response: EnrollResponse) => void,
    /** The enrollment token itself was refused: say so; retrying cannot help. */
    private readonly onRefused: (reason: string) => void,
  ) {}

  get inProgress(): boolean {
    return this.busy || this.timer !== null;
  }

  /** Sends `body` under `requestId` until an answer comes. */
  enroll(requestId: string, body: () => EnrollBody): void {
    if (this.inProgress || this.stopped) return;
    this.busy = true;
    const { clock, tracker } = this.deps;
    // The client id is the request id: the broker lets an enrollee use only its own topics.
    const clientId = requestId;
    tracker?.begin();
    (async () => {
      let link: WireEndpoint | null = null;
      try {
        const client = await this.deps.connector({
          clientId,
          username: 'enroll',
          password: this.deps.enrollmentToken,
          reconnect: false,
        });
        const { qos } = this.deps.connector;
        link = new WireEndpoint(client, clientId, clock, tracker, qos);
        this.current = link;
        if (this.stopped) return void (await link.close());
        const answered = link;
        link.onMessage((topic, payload) => {
          try {
            const response = decode(enrollResponseSchema, topic, payload);
            if (response.requestId !== requestId) return;
            answered.handleLater('service', response, () => this.answered(answered, response));
          } catch (e) {
            this.deps.log.append({ type: 'wire.rejected', clientId, topic, reason: (e as Error).message });
          }
        });
        await client.subscribeAsync(enrollResponseTopic(clientId), { qos });
        // The connection dropped before the answer came (the broker went away): ask again.
        client.once('close', () => {
          if (this.current === answered) this.retry(requestId, body, 'connection lost before the answer');
        });
        if (this.current !== answered) return; // dropped while subscribing: a retry is already due
        link.publish(enrollRequestTopic(clientId), { type: 'enroll', requestId, ...body() });
        // No answer in time: the request or its answer was lost (a service crash, say); ask again.
        const waitMs = clock.simMsOfRealMs(ENROLL_ANSWER_TIMEOUT_MS);
        this.timer = clock.schedule(
          clock.now() + waitMs,
          `agent:${this.deps.serialNumber}:enrollTimeout`,
          () => {
            this.timer = null;
            if (this.current === answered) this.retry(requestId, body, 'no answer to the enrollment request');
          },
        );
      } catch (e) {
        if (link) void link.close();
        if (isRefusal(e)) {
          this.deps.log.append({
            type: 'wire.rejected',
            clientId,
            topic: '(connect)',
            reason: (e as Error).message,
          });
          this.onRefused((e as Error).message);
        } else this.retry(requestId, body, (e as Error).message);
      } finally {
        this.busy = false;
        tracker?.end();
      }
    })();
  }

  private answered(link: WireEndpoint, response: EnrollResponse): void {
    if (this.current !== link) return; // an answer to an attempt given up on
    this.current = null;
    this.attempts = 0;
    if (this.timer) this.deps.clock.cancel(this.timer);
    this.timer = null;
    this.close(link);
    this.onAnswer(response);
  }

  private retry(requestId: string, body: () => EnrollBody, reason: string): void {
    if (this.stopped) return;
    if (this.timer) this.deps.clock.cancel(this.timer);
    const stale = this.current;
    this.current = null;
    if (stale) this.close(stale);
    this.attempts++;
    this.timer = scheduleRetry(this.deps, 'enroll', this.attempts, reason, () => {
      this.timer = null;
      this.enroll(requestId, body);
    });
  }

  private close(link: WireEndpoint): void {
    closeTracked(link, this.deps.tracker, true);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) this.deps.clock.cancel(this.timer);
    this.timer = null;
    const link = this.current;
    this.current = null;
    await link?.close();
  }
}
