import type { FlightTracker } from '../../sim/clock/flight-tracker.ts';
import type { Clock, TimerHandle } from '../../sim/clock/types.ts';
import { cloneData } from '../../sim/clone.ts';
import {
  type DeviceConditions,
  type DeviceState,
  type PolicyItem,
  UNBOOTABLE,
} from '../../sim/device-state.ts';
import type { EventLog } from '../../sim/events.ts';
import { PLATFORMS } from '../../sim/platforms/index.ts';
import { PolicyShelf } from '../../sim/policy-shelf.ts';
import { createRng, type Rng } from '../../sim/prng.ts';
import { SECOND_MS } from '../../sim/time-units.ts';
import {
  type ClockMessage,
  clockSchema,
  type DeviceDown,
  type DeviceFacts,
  type DeviceUp,
  decode,
  deviceDownSchema,
  type EnrollResponse,
} from '../../sim/wire/schemas.ts';
import { CLOCK_TOPIC, deviceUpTopic } from '../../sim/wire/topics.ts';
import type { Connector } from '../../transport/connector.ts';
import { Inbox } from '../../transport/delivery/inbox.ts';
import { completeReset, powerOff, powerOn, resetDueAtMs, runCommand, setNetwork } from '../model/actions.ts';
import type { Command, Device, Outcome, Transition } from '../model/commands.ts';
import { completeEnrollment } from '../model/enrollment.ts';
import { factsOf } from '../model/facts.ts';
import { applyPolicies, missingPolicies } from '../model/policies.ts';
import type { AgentStore, SavedAgent } from './agent-store.ts';
import { type CheckInDue, CheckInTimer } from './check-in-timer.ts';
import { DeviceLink, type LinkDeps, type LinkEvents } from './device-link.ts';
import { Enroller } from './enroller.ts';
import { type ResultBody, ResultCourier, type ResultCourierDeps } from './result-courier.ts';
import { SaveThenSend, type SaveThenSendIo } from './save-then-send.ts';
import { logTransition, resultOf } from './transition-records.ts';

/**
 * Policies arrive as fresh JSON on every device; the model copies what it is given but shares
 * strings, so handing it one shared copy of each policy keeps one set of its strings per process.
 */
const POLICIES = new PolicyShelf();
const shared = (p: PolicyItem) => POLICIES.share(p);

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

type TimerName = 'reset' | 'setup';
type CheckInReason = Extract<DeviceUp, { type: 'checkIn' }>['reason'];

/** What a check-in reads of one state: its facts, and whether the device can talk at all. */
interface StateView {
  state: DeviceState;
  facts: DeviceFacts;
  able: boolean;
}

/** Powered on, booted into something that runs, and not in the middle of a reset. */
const ableIn = (s: DeviceState): boolean =>
  s.power === 'on' && !UNBOOTABLE.includes(s.boot) && !s.nvram.resetJob;

/** An ADE device at its setup screen tries to enroll this long after the reset (D-7). */
const SETUP_ENROLL_DELAY_MS = 60 * SECOND_MS;
/** Enrollment request ids: the prefix the broker requires of enrolling clients. */
const ENROLL_ID_PREFIX = 'enroll-';

/**
 * One simulated device on the wire: enrolls, checks in on its platform's schedule (S-3), on push,
 * power-on and network return; commits and acknowledges commands, runs them through the pure
 * model; reports results with its facts until the service says it committed them; survives power
 * cuts and process death through its NVRAM (W-PROT-1..3) and its store.
 *
 * A device that leaves management keeps its credentials until the service has recorded its final
 * result (or has revoked them, which it does only then): a crash on either side loses nothing.
 *
 * Longer than this project's files usually are, on purpose: it is one state machine whose steps
 * all read and write the same saved state, and its invariants (credentials held until the final
 * result is recorded, a result stored in the same save as the state that produced it) are checked
 * by reading it in one place. Its parts with a job of their own live beside it: the check-in
 * timer, the link, the enroller, the result courier, save-then-send, the transition records.
 */
export class DeviceAgent {
  private saved: SavedAgent;
  private readonly rng: Rng;
  private readonly link: DeviceLink;
  /**
   * Made when the device enrolls and let go once the answer is stored: a device enrolls once or
   * twice in its life, and 10,000 idle enrollers held ~750 B each. Its random stream lives on.
   */
  private enroller: Enroller | null = null;
  private readonly enrollRng: Rng;
  private readonly linkDeps: LinkDeps;
  private readonly inbox: Inbox;
  private readonly results: ResultCourier;
  private readonly checkIns: CheckInTimer;
  private timers: Record<TimerName, TimerHandle | null> = { reset: null, setup: null };
  /** What a check-in reads of the current state, worked out once per state (`ofState`). */
  private stateView: StateView | null = null;
  /** Set at shutdown: late callbacks (a connection completing, a timer) change nothing after it. */
  private stopped = false;
  /** Saves and sends, held while a message from the service is handled (save first, then send). */
  private readonly io: SaveThenSend;

  /**
   * What the agent's parts call back: its check-in timer, its saves and sends, its result courier
   * and its connection. Methods of one object a device, not closures: nine closures and the three
   * objects holding them were ~0.6 KB of each device's memory, kept for its life (10,000 devices ×
   * 30 days: peak 381–384 MB before, 375–377 after). Nested, so it reaches the agent's private
   * members and nothing else does.
   */
  private static readonly Hooks = class AgentHooks
    implements CheckInDue, SaveThenSendIo, ResultCourierDeps, LinkEvents
  {
    constructor(private readonly agent: DeviceAgent) {}

    get clock(): Clock {
      return this.agent.deps.clock;
    }
    get serialNumber(): string {
      return this.agent.saved.identity.serialNumber;
    }

    checkInDue(reason: 'schedule' | 'push'): void {
      this.agent.checkInDue(reason);
    }

    save(then: () => void): void {
      const { agent } = this;
      const store = agent.deps.store;
      if (!store) {
        then();
        return;
      }
      store.saveThen(
        agent.saved.identity.serialNumber,
        () => {
          agent.saved.inbox = agent.inbox.toJSON();
          return agent.saved;
        },
        then,
      );
    }
    publish(topic: string, body: object): void {
      this.agent.link.open?.publish(topic, body);
    }
    commitNow(): void {
      this.agent.deps.store?.flush();
    }

    send(body: ResultBody): boolean {
      const { agent } = this;
      const link = agent.link.open;
      const channelId = agent.saved.credentials?.channelId;
      if (!link || !channelId) return false;
      agent.send(deviceUpTopic(channelId), body);
      return true;
    }
    redeliver(): void {
      const { agent } = this;
      if (agent.link.open) agent.results.flush();
      else agent.wake('restart');
    }

    onMessage(topic: string, payload: Buffer): void {
      this.agent.receive(topic, payload);
    }
    onReconnect(): void {
      this.agent.talk('restart');
    }
    onRefused(): void {
      this.agent.credentialsRefused();
    }
  };

  /**
   * `handedOver`: the caller made `saved` for this agent alone and keeps no part of it (a device
   * just generated), so it is adopted rather than copied. Copying a 10,000-device fleet's freshly
   * generated state made ~50 MB of garbage, all of it alive until the last device was made: the
   * enrollment's peak of memory (`npm run bench -- month`).
   */
  constructor(
    saved: SavedAgent,
    private readonly deps: AgentDeps,
    handedOver = false,
  ) {
    this.saved = handedOver ? saved : cloneData(saved);
    this.rng = createRng(deps.seed).child(`agent/${saved.identity.serialNumber}`);
    // One object speaks for the agent to each of its parts (see AgentHooks).
    const hooks = new DeviceAgent.Hooks(this);
    this.checkIns = new CheckInTimer(
      {
        clock: deps.clock,
        rng: this.rng,
        serialNumber: saved.identity.serialNumber,
        schedule: PLATFORMS[saved.identity.platform].checkIn,
      },
      hooks,
    );
    this.inbox = new Inbox(this.saved.inbox);
    this.io = new SaveThenSend(hooks);
    this.results = new ResultCourier(this.saved.outbox, hooks);
    const linkDeps: LinkDeps = {
      clock: deps.clock,
      connector: deps.connector,
      tracker: deps.tracker,
      log: deps.log,
      reconnect: deps.reconnect,
      rng: this.rng.child('link'),
      serialNumber: saved.identity.serialNumber,
      followClock: deps.onClock !== undefined,
    };
    this.link = new DeviceLink(linkDeps, hooks);
    this.linkDeps = linkDeps;
    this.enrollRng = this.rng.child('enroll');
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
    return this.link.open !== null;
  }
  /** Its channel connection to the broker is open now (not dropped and being reconnected). */
  get connected(): boolean {
    return this.link.connected;
  }
  /** Results reported but not yet acknowledged by the service. */
  get unacknowledgedResults(): number {
    return this.results.size;
  }
  get snapshot(): SavedAgent {
    this.saved.inbox = this.inbox.toJSON();
    return cloneData(this.saved);
  }

  /** Begins (or, after a restart, resumes) the device's life. A reset left in NVRAM is a power cut. */
  start(): void {
    if (this.stopped) return; // a wave due after the fleet stopped
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
    this.link.drop();
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
    else this.link.drop();
  }

  /**
   * Sets per-device conditions and faults (W-PROT-2, W-PROT-3, the recovery environment),
   * as a scenario or the /sim API does; they take effect at the next reset.
   */
  injectFault(fault: DeviceFault): void {
    const s = cloneData(this.saved.state);
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
    this.halt();
    await Promise.all([this.link.stop(), this.enroller?.stop()]);
  }

  /** What stopping does at once: saved, nothing more scheduled, nothing more sent. Once only. */
  halt(): void {
    if (this.stopped) return;
    this.persist();
    this.io.releaseNow();
    this.stopped = true;
    this.cancelTimers();
  }

  // ---- life ---------------------------------------------------------------------------------

  private get able(): boolean {
    return this.ofState().able;
  }

  /** Out of management, its final result not yet recorded by the service. */
  private get leaving(): boolean {
    return this.saved.credentials !== null && !this.saved.state.management.enrolled;
  }

  /**
   * Gets the device talking to the service if it can: enrolled → connect and check in; leaving →
   * connect and deliver its final result; not enrolled → enroll (a user's device, or ADE at setup).
   */
  private wake(reason: CheckInReason): void {
    if (!this.able || this.stopped) return;
    const { credentials, state } = this.saved;
    if (credentials) {
      if (state.network === 'online') this.link.use(credentials, () => this.talk(reason));
      return;
    }
    if (state.management.enrolled) this.enroll(false);
    else if (this.adeAtSetup()) this.enroll(true);
  }

  /**
   * On an open connection: check in, or, leaving, only deliver what is owed. A resetting device
   * does neither, but acknowledges the reset's command again: the acknowledgement may have gone
   * down with the connection it was sent on (QoS 0), and the service counts a repeat once.
   */
  private talk(reason: CheckInReason): void {
    const job = this.saved.state.nvram.resetJob;
    const channelId = this.saved.credentials?.channelId;
    if (job && channelId) this.send(deviceUpTopic(channelId), { type: 'ack', commandId: job.commandId });
    else if (!this.leaving) this.checkIn(reason);
    else if (this.results.size > 0) this.results.flush();
    else this.release('acknowledged'); // nothing owed any more: nothing to hold the credentials for
  }

  private adeAtSetup(): boolean {
    return (
      this.saved.identity.enrollmentType === 'automatedDeviceEnrollment' && this.saved.state.boot === 'setup'
    );
  }

  private checkIn(reason: CheckInReason): void {
    const link = this.link.open;
    if (!link || !this.saved.credentials || !this.able) return;
    const due = this.checkIns.takeLateDue();
    this.send(deviceUpTopic(this.saved.credentials.channelId), {
      type: 'checkIn',
      reason,
      ...(due !== null ? { dueAtMs: due } : {}),
      facts: this.facts(),
    });
    this.deps.log.append({ type: 'agent.checkIn', serialNumber: this.serialNumber, reason });
    // Nothing kept across a restart changes here, so nothing is written: over TCP a check-in used
    // to store the whole device again (JSON and an SQLite write) to record a time nothing read.
    this.results.flush();
    this.checkIns.scheduleNext(this.saved.credentials.enrolledAtMs);
  }

  /** Its schedule's or a push's check-in time came. */
  private checkInDue(reason: 'schedule' | 'push'): void {
    const creds = this.saved.credentials;
    if (reason === 'push' || this.link.open) this.checkIn(reason);
    else if (this.saved.state.network === 'online')
      this.wake('schedule'); // its connection had dropped
    else this.checkIns.missed(creds?.enrolledAtMs ?? null); // offline: the next one is still due
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
    this.link.open?.handleLater('service', message, () => this.io.run(() => this.onDown(message)));
  }

  private onDown(message: DeviceDown): void {
    if (message.type === 'notify') {
      this.checkIns.push();
      return;
    }
    if (message.type === 'resultAck') {
      this.resultsCommitted(message.commandIds);
      return;
    }
    if (
      message.policies &&
      missingPolicies(
        this.saved.state,
        message.policies.map((p) => p.id),
      )
    ) {
      this.apply(applyPolicies(this.device, message.policies.map(shared))); // W-5
    }
    for (const command of message.commands) this.runOne(command);
    this.persist();
    // A long queue comes in pages: ask for the next one once this one is committed.
    if (message.more && !this.leaving) this.checkIn('more');
  }

  /**
   * Commits a command (the model runs it; its state, with the command id in the inbox, is stored),
   * then acknowledges it, or reports its result, which acknowledges it too: the service counts it as
   * received only once it cannot be lost. A repeat is acknowledged again and its result, if there is
   * one yet, sent again.
   */
  private runOne(command: Command): void {
    const link = this.link.open;
    const channelId = this.saved.credentials?.channelId;
    if (!link || !channelId) return;
    if (this.inbox.has(command.id)) {
      this.send(deviceUpTopic(channelId), { type: 'ack', commandId: command.id });
      this.results.resend(command.id);
      return;
    }
    const t = runCommand(this.device, command, this.modelEnv());
    this.inbox.add(command.id);
    this.apply(t);
    // A result sent now acknowledges the command with it (the service counts it received then): one
    // message, not two. A command that runs on (a reset) or whose result waits is acknowledged alone.
    const status = t.outcome?.status;
    const reportsNow =
      status !== undefined && status !== 'inProgress' && status !== 'unbootable' && !this.leaving;
    if (!reportsNow) this.send(deviceUpTopic(channelId), { type: 'ack', commandId: command.id });
    if (t.outcome?.status === 'inProgress') {
      this.scheduleReset(t.outcome.completesAtMs);
      this.checkIns.cancel(); // a resetting device does not check in
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

  /** A command ended on the device: store its result, report it, then live with the consequences. */
  private finish(outcome: Outcome, afterReset: boolean): void {
    if (outcome.status === 'inProgress') return;
    if (outcome.status === 'unbootable') {
      this.cancelTimers();
      this.dropLink(); // W-PROT-3: it never checks in again; the service keeps the action pending
      return;
    }
    // The result was stored with the state that produced it (apply): a crash from here on sends it at the next start.
    if (this.leaving) {
      // Out of management (retire, full wipe, delete's removal): only the final report is left to do.
      this.cancelTimers();
      this.wake('restart');
    } else if (afterReset && this.link.open) {
      this.checkIn('restart'); // the device restarts after a reset that kept it managed (W-5 follows)
    } else if (afterReset) {
      this.wake('restart');
    } else this.results.send(outcome.commandId); // just this one: the others went when they ended
    this.persist();
  }

  private resultsCommitted(commandIds: readonly string[]): void {
    if (this.results.committed(commandIds) === 0) return;
    if (this.leaving && this.results.size === 0) this.release('acknowledged');
    this.persist();
  }

  /**
   * The broker refused the device's credentials. For a device leaving management that is the
   * service's word that it recorded the final result (it revokes them only then); for any other
   * it means the service let the device go (an expired certificate, D-8) and there is nobody to talk to.
   */
  private credentialsRefused(): void {
    if (this.leaving) this.release('credentialsRevoked');
  }

  /** The final result is recorded: the credentials are of no more use. */
  private release(how: 'acknowledged' | 'credentialsRevoked'): void {
    this.results.clear();
    this.saved.credentials = null;
    this.dropLink(true);
    this.cancelTimers();
    this.deps.log.append({ type: 'agent.released', serialNumber: this.serialNumber, how });
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

  // ---- enrollment ---------------------------------------------------------------------------

  /** The enrollment exchange (design.md, Wire protocol step 0); also re-enrollment (D-4, D-7, D-9). */
  enroll(automatic: boolean): void {
    if (this.enroller?.inProgress || this.stopped) return;
    if (!this.saved.enrollRequestId) {
      // Chosen and stored before the first send: every retry, even after a crash, asks the same question.
      this.saved.enrollRequestId = `${ENROLL_ID_PREFIX}${this.serialNumber}-${this.saved.enrollments}`;
      this.persist();
    }
    this.enroller ??= new Enroller(
      { ...this.linkDeps, rng: this.enrollRng, enrollmentToken: this.deps.enrollmentToken },
      (response) => this.onEnrollResponse(response),
      () => {}, // the refusal is in the event log; a wrong enrollment token is for a person to fix
    );
    this.enroller.enroll(this.saved.enrollRequestId, () => ({
      identity: this.saved.identity,
      facts: factsOf(this.saved.state),
      automatic,
      policies: this.saved.state.management.policies,
    }));
  }

  private onEnrollResponse(response: EnrollResponse): void {
    this.enroller = null; // answered: it holds nothing more (its connection is closing by itself)
    this.saved.enrollRequestId = null;
    if (response.type === 'enrollRefused') return void this.persist(); // D-7: an unassigned ADE device stays at setup
    this.saved.enrollments++;
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
      this.apply(applyPolicies(this.device, response.policies.map(shared)));
    this.persist();
    this.link.use(this.saved.credentials, () => this.checkIn('enrolled'));
  }

  // ---- plumbing -----------------------------------------------------------------------------

  private facts(): DeviceFacts {
    return this.ofState().facts;
  }

  /**
   * States are replaced, never changed, so what a check-in reads of one is worked out once: a
   * check-in then reads this one object, not the state's and its NVRAM's, which in a big fleet are
   * each a read from memory (issue 11).
   */
  private ofState(): StateView {
    const { state } = this.saved;
    let view = this.stateView;
    if (view?.state !== state) {
      view = { state, facts: factsOf(state), able: ableIn(state) };
      this.stateView = view;
    }
    return view;
  }

  private modelEnv() {
    return { nowMs: this.deps.clock.now(), rng: this.rng };
  }

  private apply(t: Transition): void {
    this.saved.state = t.state;
    // A command that ended: its result goes into the outbox in the same save as the state it left
    // (and the command id in the inbox), so no crash can keep the one without the other.
    const result = resultOf(t);
    if (result) this.results.put(result);
    logTransition(this.deps.log, this.serialNumber, this.saved.credentials?.managedDeviceId ?? null, t);
    this.persist();
  }

  private cancelTimers(): void {
    this.checkIns.cancel();
    for (const key of ['reset', 'setup'] as const) {
      const t = this.timers[key];
      if (t) this.deps.clock.cancel(t);
      this.timers[key] = null;
    }
    this.results.cancel();
  }

  private persist(): void {
    if (this.stopped || !this.deps.store) return; // without a store `snapshot` copies the inbox when asked
    this.io.save();
  }

  private send(topic: string, body: object): void {
    this.io.send(topic, body);
  }

  /** Drops the connection, after sending what was held for it (an acknowledgement goes first). */
  private dropLink(graceful = false): void {
    this.io.releaseNow();
    this.link.drop(graceful);
  }
}
