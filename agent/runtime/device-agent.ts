import type { FlightTracker } from '../../sim/clock/flight-tracker.ts';
import type { Clock, TimerHandle } from '../../sim/clock/types.ts';
import { type DeviceConditions, UNBOOTABLE } from '../../sim/device-state.ts';
import type { EventLog } from '../../sim/events.ts';
import { PLATFORMS } from '../../sim/platforms/index.ts';
import { createRng, type Rng } from '../../sim/prng.ts';
import { SECOND_MS } from '../../sim/time-units.ts';
import {
  type ClockMessage,
  clockSchema,
  type DeviceDown,
  type DeviceUp,
  decode,
  deviceDownSchema,
  type EnrollResponse,
  enrollResponseSchema,
} from '../../sim/wire/schemas.ts';
import {
  CLOCK_TOPIC,
  deviceDownTopic,
  deviceUpTopic,
  enrollRequestTopic,
  enrollResponseTopic,
} from '../../sim/wire/topics.ts';
import type { Connector } from '../../transport/connector.ts';
import { WireEndpoint } from '../../transport/endpoint.ts';
import { completeReset, powerOff, powerOn, resetDueAtMs, runCommand, setNetwork } from '../model/actions.ts';
import type { Command, Device, Outcome, Transition } from '../model/commands.ts';
import { completeEnrollment } from '../model/enrollment.ts';
import { factsOf } from '../model/facts.ts';
import { applyPolicies, missingPolicies } from '../model/policies.ts';
import type { AgentStore, SavedAgent } from './agent-store.ts';
import { nextScheduledCheckIn } from './check-in-schedule.ts';

export interface AgentDeps {
  clock: Clock;
  connector: Connector;
  enrollmentToken: string;
  log: EventLog;
  tracker: FlightTracker | null;
  store: AgentStore | null;
  /** Reconnect after a lost connection (scaled runs that outlive a broker restart). */
  reconnect: boolean;
  /** The fleet seed: each agent draws from `<seed>/agent/<serial>`. */
  seed: string;
  /** Called with the service's clock anchor (scaled runs across processes). */
  onClock?: (message: ClockMessage) => void;
}

export interface DeviceFault {
  conditions?: Partial<DeviceConditions>;
  bitLocker?: boolean;
  recoveryEnvironmentHealthy?: boolean;
}

type CheckInReason = Extract<DeviceUp, { type: 'checkIn' }>['reason'];
type ResultMessage = SavedAgent['outbox'][number];

/** A device that was pushed checks in within a minute (S-4: "within minutes"). */
const PUSH_REACTION_MS: readonly [number, number] = [5 * SECOND_MS, 60 * SECOND_MS];
/** An ADE device at its setup screen tries to enroll this long after the reset (D-7). */
const SETUP_ENROLL_DELAY_MS = 60 * SECOND_MS;

/**
 * One simulated device on the wire: enrolls, checks in on its platform's schedule (S-3), on push,
 * power-on and network return; acknowledges and runs commands through the pure model; reports
 * results with its facts; survives power cuts and process death through its NVRAM (W-PROT-1..3).
 */
export class DeviceAgent {
  private saved: SavedAgent;
  private readonly rng: Rng;
  private link: WireEndpoint | null = null;
  private connecting = false;
  private timers: {
    checkIn: TimerHandle | null;
    push: TimerHandle | null;
    reset: TimerHandle | null;
    setup: TimerHandle | null;
  } = {
    checkIn: null,
    push: null,
    reset: null,
    setup: null,
  };
  private enrollAttempts = 0;
  /** Set at shutdown: late callbacks (a connection completing, a timer) change nothing after it. */
  private stopped = false;
  /** Outcomes of commands already run, so a repeated command is answered, not run again. */
  private readonly answered = new Map<string, ResultMessage | null>();

  constructor(
    saved: SavedAgent,
    private readonly deps: AgentDeps,
  ) {
    this.saved = structuredClone(saved);
    this.rng = createRng(deps.seed).child(`agent/${saved.identity.serialNumber}`);
    for (const r of this.saved.outbox) this.answered.set(r.commandId, r);
  }

  get device(): Device {
    return { identity: this.saved.identity, state: this.saved.state };
  }
  get cohort(): string {
    return this.saved.cohort;
  }
  get serialNumber(): string {
    return this.saved.identity.serialNumber;
  }
  get credentials() {
    return this.saved.credentials;
  }
  get online(): boolean {
    return this.link !== null;
  }
  get snapshot(): SavedAgent {
    return structuredClone(this.saved);
  }

  /** Begins (or, after a restart, resumes) the device's life. A reset left in NVRAM is a power cut. */
  start(): void {
    if (this.saved.state.nvram.resetJob && this.saved.state.power === 'on') {
      this.cutPower(); // the process died in the middle of a reset: the device lost power
      this.powerOn();
      return;
    }
    this.wake('restart');
  }

  // ---- switches ---------------------------------------------------------------------------

  powerOff(): void {
    this.cancelTimers();
    this.goOffline();
    this.cutPower();
  }

  /** W-PROT-2: an unprotected reset rolls back and fails; its result waits for the next connection. */
  private cutPower(): void {
    const t = powerOff(this.device);
    this.apply(t);
    if (t.outcome) this.finish(t.outcome, false);
  }

  powerOn(): void {
    const t = powerOn(this.device, this.modelEnv());
    this.apply(t);
    if (t.outcome?.status === 'inProgress') this.scheduleReset(t.outcome.completesAtMs);
    else this.wake('powerOn'); // S-3: a device checks in at power-on
  }

  setNetwork(online: boolean): void {
    this.apply(setNetwork(this.device, online ? 'online' : 'offline'));
    this.deps.log.append({
      type: 'agent.network',
      serialNumber: this.serialNumber,
      network: online ? 'online' : 'offline',
    });
    if (online)
      this.wake('networkUp'); // S-3: and when its network comes back
    else this.goOffline();
  }

  /**
   * Sets per-device conditions and faults (W-PROT-2, W-PROT-3, the recovery environment),
   * as a scenario or the /sim API does; they take effect at the next reset.
   */
  injectFault(fault: DeviceFault): void {
    const s = structuredClone(this.saved.state);
    Object.assign(s.conditions, fault.conditions ?? {});
    if (fault.bitLocker !== undefined) s.bitLocker = fault.bitLocker;
    if (fault.recoveryEnvironmentHealthy !== undefined)
      s.recoveryEnvironmentHealthy = fault.recoveryEnvironmentHealthy;
    this.saved.state = s;
    this.persist();
  }

  /**
   * The user did something in the Company Portal on the device: the app talks to the service
   * right away, so the device checks in at once, with no push needed (S-5, S-6).
   */
  checkInNow(): void {
    this.wake('companyPortal');
  }

  /** Connects again after the service came back (its connection dropped): checks in with reason restart. */
  reconnect(): void {
    this.wake('restart');
  }

  /** Stops everything without touching the device (process shutdown). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.cancelTimers();
    const link = this.link;
    this.link = null;
    await link?.close();
  }

  // ---- life ---------------------------------------------------------------------------------

  private get able(): boolean {
    const s = this.saved.state;
    return s.power === 'on' && !UNBOOTABLE.includes(s.boot) && !s.nvram.resetJob;
  }

  /** Gets the device talking to the service if it can: enrolled → connect and check in; ADE at setup → enroll. */
  private wake(reason: CheckInReason): void {
    if (!this.able) return;
    const { credentials, state } = this.saved;
    if (credentials && state.management.enrolled) {
      if (state.network === 'online') this.connectAndCheckIn(reason);
      return;
    }
    if (!credentials && state.management.enrolled) this.enroll(false);
    else if (this.adeAtSetup()) this.enroll(true);
  }

  private adeAtSetup(): boolean {
    return (
      this.saved.identity.enrollmentType === 'automatedDeviceEnrollment' && this.saved.state.boot === 'setup'
    );
  }

  /** Runs an async step the virtual clock must wait for. */
  private track<T>(promise: Promise<T>): Promise<T> {
    this.deps.tracker?.begin();
    return promise.finally(() => this.deps.tracker?.end());
  }

  private connectAndCheckIn(reason: CheckInReason): void {
    this.withLink(() => this.checkIn(reason));
  }

  /** Runs `then` once connected with the device's credentials (connecting first if need be). */
  private withLink(then: () => void): void {
    if (this.link) {
      then();
      return;
    }
    if (this.connecting || !this.saved.credentials) return;
    const { channelId, token } = this.saved.credentials;
    this.connecting = true;
    void this.track(
      (async () => {
        try {
          const client = await this.deps.connector({
            clientId: channelId,
            username: channelId,
            password: token,
            reconnect: this.deps.reconnect,
          });
          const link = new WireEndpoint(client, channelId, this.deps.clock, this.deps.tracker);
          if (this.stopped) return void (await link.close());
          link.onMessage((topic, payload) => this.receive(topic, payload));
          await client.subscribeAsync([deviceDownTopic(channelId), CLOCK_TOPIC], { qos: 1 });
          if (this.deps.reconnect) client.on('connect', () => this.checkIn('restart'));
          // Without automatic reconnection a dropped connection is gone: forget it, so the next wake connects anew.
          else
            client.on('close', () => {
              if (this.link === link) this.link = null;
            });
          this.link = link;
          then();
        } catch (e) {
          this.deps.log.append({
            type: 'wire.rejected',
            clientId: channelId,
            topic: '(connect)',
            reason: (e as Error).message,
          });
        } finally {
          this.connecting = false;
        }
      })(),
    );
  }

  private goOffline(graceful = false): void {
    const link = this.link;
    this.link = null;
    if (link) void this.track(link.close(graceful));
  }

  private checkIn(reason: CheckInReason): void {
    if (!this.link || !this.saved.credentials || !this.able) return;
    this.link.publish(deviceUpTopic(this.saved.credentials.channelId), {
      type: 'checkIn',
      reason,
      facts: factsOf(this.saved.state),
    });
    this.deps.log.append({ type: 'agent.checkIn', serialNumber: this.serialNumber, reason });
    this.saved.lastCheckInAtMs = this.deps.clock.now();
    this.flushOutbox();
    this.scheduleCheckIn();
    this.persist();
  }

  private scheduleCheckIn(): void {
    const creds = this.saved.credentials;
    if (!creds) return;
    if (this.timers.checkIn) this.deps.clock.cancel(this.timers.checkIn);
    const schedule = PLATFORMS[this.saved.identity.platform].checkIn;
    const at = nextScheduledCheckIn(schedule, creds.enrolledAtMs, this.deps.clock.now(), this.rng);
    this.timers.checkIn = this.deps.clock.schedule(at, `agent:${this.serialNumber}:checkIn`, () => {
      this.timers.checkIn = null;
      if (this.link) this.checkIn('schedule');
      else if (this.saved.state.network === 'online')
        this.connectAndCheckIn('schedule'); // its connection had dropped
      else this.scheduleCheckIn(); // offline: the check-in is missed; the next one is still due
    });
  }

  private receive(topic: string, payload: Buffer): void {
    if (topic === CLOCK_TOPIC) {
      try {
        this.deps.onClock?.(decode(clockSchema, topic, payload));
      } catch {}
      return;
    }
    let message: DeviceDown;
    try {
      message = decode(deviceDownSchema, topic, payload);
    } catch (e) {
      this.deps.log.append({
        type: 'wire.rejected',
        clientId: this.saved.credentials?.channelId ?? '',
        topic,
        reason: (e as Error).message,
      });
      return;
    }
    this.link?.handleLater('service', message, () => this.onDown(message));
  }

  private onDown(message: DeviceDown): void {
    if (message.type === 'notify') {
      if (this.timers.push) return; // one wake-up is enough
      const delay = this.rng.int(PUSH_REACTION_MS[0], PUSH_REACTION_MS[1]);
      this.timers.push = this.deps.clock.schedule(
        this.deps.clock.now() + delay,
        `agent:${this.serialNumber}:push`,
        () => {
          this.timers.push = null;
          this.checkIn('push');
        },
      );
      return;
    }
    if (
      message.policies &&
      missingPolicies(
        this.saved.state,
        message.policies.map((p) => p.id),
      )
    ) {
      this.apply(applyPolicies(this.device, message.policies)); // W-5
    }
    for (const command of message.commands) this.runOne(command);
    this.persist();
  }

  private runOne(command: Command): void {
    const channelId = this.saved.credentials?.channelId;
    if (!this.link || !channelId) return;
    this.link.publish(deviceUpTopic(channelId), { type: 'ack', commandId: command.id });
    if (this.answered.has(command.id)) {
      const previous = this.answered.get(command.id);
      if (previous) this.link.publish(deviceUpTopic(channelId), previous);
      return;
    }
    const t = runCommand(this.device, command, this.modelEnv());
    this.apply(t);
    if (t.outcome?.status === 'inProgress') {
      this.answered.set(command.id, null);
      this.scheduleReset(t.outcome.completesAtMs);
      this.cancelCheckIns(); // a resetting device does not check in
    } else if (t.outcome) this.finish(t.outcome, false);
  }

  private scheduleReset(atMs: number): void {
    if (this.timers.reset) this.deps.clock.cancel(this.timers.reset);
    this.timers.reset = this.deps.clock.schedule(atMs, `agent:${this.serialNumber}:reset`, () => {
      this.timers.reset = null;
      if (resetDueAtMs(this.saved.state) === null) return; // power was cut; powerOn reschedules
      const t = completeReset(this.device, this.modelEnv());
      this.apply(t);
      if (t.outcome) this.finish(t.outcome, true);
    });
  }

  /** A command ended on the device: report it, then live with the consequences. */
  private finish(outcome: Outcome, afterReset: boolean): void {
    if (outcome.status === 'inProgress') return;
    if (outcome.status === 'unbootable') {
      this.cancelTimers();
      this.goOffline(); // W-PROT-3: it never checks in again; the service keeps the action pending
      return;
    }
    const result: ResultMessage = {
      v: 1,
      seq: 0,
      sentAtMs: 0,
      type: 'result',
      commandId: outcome.commandId,
      status: outcome.status,
      rules: outcome.status === 'done' ? outcome.rules : [],
      facts: factsOf(this.saved.state),
      ...(outcome.status === 'done' ? {} : { reasonCode: outcome.reason.code }),
    };
    this.answered.set(outcome.commandId, result);
    this.saved.outbox.push(result);
    this.flushOutbox();
    if (!this.saved.state.management.enrolled) {
      // Out of management (retire, full wipe, delete's removal): a last report, then the credentials are of no more use.
      this.cancelTimers();
      if (this.saved.state.network === 'online') this.withLink(() => this.leaveManagement());
      else this.leaveManagement();
    } else if (afterReset && this.link) {
      this.checkIn('restart'); // the device restarts after a reset that kept it managed (W-5 follows)
    } else if (afterReset) {
      this.wake('restart');
    }
    this.persist();
  }

  private leaveManagement(): void {
    this.flushOutbox();
    this.saved.credentials = null;
    this.goOffline(true); // let the result reach the service first
    if (this.adeAtSetup()) {
      this.timers.setup = this.deps.clock.schedule(
        this.deps.clock.now() + SETUP_ENROLL_DELAY_MS,
        `agent:${this.serialNumber}:setup`,
        () => {
          this.timers.setup = null;
          this.wake('enrolled');
        },
      );
    }
    this.persist();
  }

  /** Sends queued results; each stays queued until the connection takes it. */
  private flushOutbox(): void {
    const channelId = this.saved.credentials?.channelId;
    if (!this.link || !channelId) return;
    for (const r of this.saved.outbox) {
      const { v: _v, seq: _s, sentAtMs: _t, ...body } = r;
      this.link.publish(deviceUpTopic(channelId), body);
    }
    this.saved.outbox = [];
  }

  // ---- enrollment ---------------------------------------------------------------------------

  /** The enrollment exchange (design.md, Wire protocol step 0); also re-enrollment (D-4, D-7, D-9). */
  enroll(automatic: boolean): void {
    if (this.connecting) return;
    const clientId = `enroll-${this.serialNumber}-${this.enrollAttempts++}`;
    this.connecting = true;
    void this.track(
      (async () => {
        try {
          const client = await this.deps.connector({
            clientId,
            username: 'enroll',
            password: this.deps.enrollmentToken,
            reconnect: false,
          });
          const link = new WireEndpoint(client, clientId, this.deps.clock, this.deps.tracker);
          link.onMessage((topic, payload) => {
            try {
              const response = decode(enrollResponseSchema, topic, payload);
              link.handleLater('service', response, () => this.onEnrollResponse(link, response));
            } catch (e) {
              this.deps.log.append({ type: 'wire.rejected', clientId, topic, reason: (e as Error).message });
            }
          });
          await client.subscribeAsync(enrollResponseTopic(clientId), { qos: 1 });
          link.publish(enrollRequestTopic(clientId), {
            type: 'enroll',
            requestId: clientId,
            identity: this.saved.identity,
            facts: factsOf(this.saved.state),
            automatic,
            policies: this.saved.state.management.policies,
          });
        } catch (e) {
          this.deps.log.append({
            type: 'wire.rejected',
            clientId,
            topic: '(connect)',
            reason: (e as Error).message,
          });
        } finally {
          this.connecting = false;
        }
      })(),
    );
  }

  private onEnrollResponse(link: WireEndpoint, response: EnrollResponse): void {
    void this.track(link.close(true));
    if (response.type === 'enrollRefused') return; // D-7: an unassigned ADE device stays at setup
    this.saved.credentials = {
      channelId: response.channelId,
      managedDeviceId: response.managedDeviceId,
      token: response.token,
      enrolledAtMs: response.enrolledAtMs,
    };
    if (!this.saved.state.management.enrolled) this.apply(completeEnrollment(this.device));
    if (
      missingPolicies(
        this.saved.state,
        response.policies.map((p) => p.id),
      )
    )
      this.apply(applyPolicies(this.device, response.policies));
    this.persist();
    this.connectAndCheckIn('enrolled');
  }

  // ---- plumbing -----------------------------------------------------------------------------

  private modelEnv() {
    return { nowMs: this.deps.clock.now(), rng: this.rng };
  }

  private apply(t: Transition): void {
    this.saved.state = t.state;
    for (const event of t.events) {
      if (event.type === 'powerChanged')
        this.deps.log.append({ type: 'agent.power', serialNumber: this.serialNumber, power: event.power });
      else
        this.deps.log.append({
          type: 'agent.model',
          serialNumber: this.serialNumber,
          deviceId: this.saved.credentials?.managedDeviceId ?? null,
          event,
        });
    }
    this.persist();
  }

  private cancelCheckIns(): void {
    for (const key of ['checkIn', 'push'] as const) {
      const t = this.timers[key];
      if (t) this.deps.clock.cancel(t);
      this.timers[key] = null;
    }
  }

  private cancelTimers(): void {
    for (const key of ['checkIn', 'push', 'reset', 'setup'] as const) {
      const t = this.timers[key];
      if (t) this.deps.clock.cancel(t);
      this.timers[key] = null;
    }
  }

  private persist(): void {
    if (this.stopped) return;
    this.deps.store?.save(this.saved);
  }
}
