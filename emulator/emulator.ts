import { resolve } from 'node:path';
import type { CohortSpec } from '../agent/fleet/cohort.ts';
import { AgentStore } from '../agent/runtime/agent-store.ts';
import type { DeviceAgent, DeviceFault } from '../agent/runtime/device-agent.ts';
import { FleetRunner } from '../agent/runtime/fleet-runner.ts';
import type { SimControl, SimDeviceView } from '../broker/http/sim-control.ts';
import { type RunningServer, startServer } from '../broker/server.ts';
import type { ServiceResult } from '../broker/service/service.ts';
import type { ActionRecord } from '../broker/service/types.ts';
import { FlightTracker } from '../sim/clock/flight-tracker.ts';
import { ScaledClock } from '../sim/clock/scaled-clock.ts';
import { VirtualClock } from '../sim/clock/virtual-clock.ts';
import { EventLog } from '../sim/events.ts';
import type { PushChannel } from '../sim/platforms/types.ts';
import { memoryConnector } from '../transport/connector.ts';

/**
 * The whole emulator in one process: the service with its broker, an embedded fleet of agents, and
 * one clock for both. This is what `serve`, `demo`, the scenario runner and the /sim control API
 * drive. The service and the agents still meet only on the wire.
 */
export interface EmulatorOptions {
  clock: 'virtual' | 'scaled';
  /** Scaled clock: sim seconds per wall second. */
  speed: number;
  seed: string;
  /** SQLite file or ':memory:'. */
  db: string;
  /** Where the embedded agents keep their NVRAM (a file next to the database), or null for memory. */
  agentDb: string | null;
  mqttPort: number | null;
  host?: string;
  /** Sim time to start at (a new database); default: now on the wall clock. */
  startMs?: number;
}

/** How long (real time) POST /sim/fleet/enroll waits on a scaled clock for its devices to enroll. */
const ENROLL_ANSWER_WAIT_MS = 15_000;

export class Emulator implements SimControl {
  private constructor(
    readonly clock: VirtualClock | ScaledClock,
    readonly tracker: FlightTracker | null,
    public server: RunningServer,
    readonly runner: FleetRunner,
    private readonly agentStore: AgentStore | null,
    readonly seed: string,
    private readonly options: EmulatorOptions,
  ) {}

  static async start(options: EmulatorOptions): Promise<Emulator> {
    const startMs = options.startMs ?? Date.now();
    const tracker = options.clock === 'virtual' ? new FlightTracker() : null;
    const clock = tracker
      ? new VirtualClock(startMs, tracker)
      : ScaledClock.startingAt(startMs, options.speed);
    const log = new EventLog(() => clock.now());
    const server = await startServer({
      clock,
      seed: options.seed,
      db: options.db,
      mqttPort: options.mqttPort,
      ...(options.host ? { host: options.host } : {}),
      tracker,
      log,
    });
    // On the virtual clock a save commits at once (a turn of the event loop is no moment of sim time).
    const agentStore = options.agentDb
      ? new AgentStore(resolve(options.agentDb), { groupCommit: options.clock === 'scaled' })
      : null;
    // The connector reads the current server, so the fleet follows a restarted service.
    const holder: { emulator: Emulator | null } = { emulator: null };
    const runner = new FleetRunner({
      clock,
      connector: memoryConnector((s) => (holder.emulator?.server ?? server).broker.handle(s)),
      enrollmentToken: server.enrollmentToken,
      log,
      tracker,
      store: agentStore,
      reconnect: false,
      seed: options.seed,
    });
    runner.restore();
    const emulator = new Emulator(clock, tracker, server, runner, agentStore, options.seed, options);
    holder.emulator = emulator;
    return emulator;
  }

  /**
   * Stops the service and starts it again on the same database, as a crash and restart would; the
   * devices notice their connections drop and come back. Needs a database file.
   */
  async restartService(): Promise<void> {
    if (this.options.db === ':memory:')
      throw new EmulatorError('a service restart needs a database file, not :memory:');
    await this.server.close();
    this.server = await startServer({
      clock: this.clock,
      seed: this.options.seed,
      db: this.options.db,
      mqttPort: this.options.mqttPort,
      ...(this.options.host ? { host: this.options.host } : {}),
      tracker: this.tracker,
      log: this.server.log,
    });
    this.runner.reconnectAll();
  }

  get log(): EventLog {
    return this.server.log;
  }

  get service() {
    return this.server.service;
  }

  clockInfo(): { mode: 'virtual' | 'scaled'; nowMs: number; speed: number | null } {
    return {
      mode: this.clock.mode,
      nowMs: this.clock.now(),
      speed: this.clock instanceof ScaledClock ? this.clock.speed : null,
    };
  }

  /** Virtual clock only: runs everything due in the next `ms` and returns once quiet. */
  async advance(ms: number): Promise<void> {
    if (!(this.clock instanceof VirtualClock))
      throw new EmulatorError('the clock is scaled: it moves by itself; set its speed instead');
    await this.clock.advanceBy(ms);
  }

  setSpeed(speed: number): void {
    if (!(this.clock instanceof ScaledClock))
      throw new EmulatorError('the clock is virtual: advance it instead');
    this.clock.setSpeed(speed);
    this.server.store.saveSetting('clockAnchor', this.clock.anchor);
    this.server.link.publishClock({ mode: 'scaled', ...this.clock.anchor });
  }

  /**
   * Creates devices from cohorts; they enroll over the wire (on the virtual clock: before this
   * returns). Without a seed each call is a new batch: the first is the fleet's seed, a later one
   * is seeded by it and the fleet's size so far (the same calls in the same order give the same
   * devices, across restarts too); with a seed,
   * the same call twice names the same devices and starts none again.
   */
  async enroll(cohorts: CohortSpec[], seed?: string): Promise<SimDeviceView[]> {
    const size = this.runner.agents.size;
    const batchSeed = seed ?? (size === 0 ? this.seed : `${this.seed}/batch-after:${size}`);
    const added = this.runner.addFleet({ cohorts, seed: batchSeed, epochMs: this.clock.now() });
    const enrolled = () => added.every((a) => a.credentials !== null);
    if (this.clock instanceof VirtualClock) await this.clock.runUntil(enrolled, 60 * 60_000);
    else await this.waitReal(enrolled, ENROLL_ANSWER_WAIT_MS); // the answer names their managedDevice ids
    return added.map((a) => this.view(a));
  }

  /** On the scaled clock: checks `done` every 50 ms of real time until it holds or `limitMs` has passed. */
  private async waitReal(done: () => boolean, limitMs: number): Promise<void> {
    const { clock } = this;
    for (let waited = 0; !done() && waited < limitMs; waited += 50) {
      await new Promise<void>((resolve) =>
        clock.schedule(clock.now() + clock.simMsOfRealMs(50), 'emulator:wait', resolve),
      );
    }
  }

  devices(): SimDeviceView[] {
    return this.runner.all().map((a) => this.view(a));
  }

  device(key: string): SimDeviceView | undefined {
    const agent = this.agent(key);
    return agent ? this.view(agent) : undefined;
  }

  /** By serial number, managedDevice id or channel id. */
  agent(key: string): DeviceAgent | undefined {
    return (
      this.runner.get(key) ??
      this.runner
        .all()
        .find((a) => a.credentials?.managedDeviceId === key || a.credentials?.channelId === key)
    );
  }

  power(key: string, on: boolean): SimDeviceView {
    const agent = this.mustAgent(key);
    if (on) agent.powerOn();
    else agent.powerOff();
    return this.view(agent);
  }

  network(key: string, online: boolean): SimDeviceView {
    const agent = this.mustAgent(key);
    agent.setNetwork(online);
    return this.view(agent);
  }

  fault(key: string, fault: DeviceFault): SimDeviceView {
    const agent = this.mustAgent(key);
    agent.injectFault(fault);
    return this.view(agent);
  }

  private view(agent: DeviceAgent): SimDeviceView {
    const { identity, state } = agent.device;
    return {
      serialNumber: agent.serialNumber,
      cohort: agent.cohort,
      managedDeviceId: agent.credentials?.managedDeviceId ?? null,
      online: agent.online,
      identity,
      state,
    };
  }

  companyPortal(
    managedDeviceId: string,
    userPrincipalName: string,
    action: 'retire' | 'wipe' | 'sync',
  ): ServiceResult<ActionRecord> {
    const result = this.service.companyPortalAction(managedDeviceId, userPrincipalName, action);
    if (result.ok) this.agent(managedDeviceId)?.checkInNow();
    return result;
  }

  pushChannel(channel: PushChannel, up: boolean): void {
    this.service.setPushChannel(channel, up);
  }

  private mustAgent(key: string): DeviceAgent {
    const agent = this.agent(key);
    if (!agent) throw new EmulatorError(`no simulated device with serial number or id ${key}`, 404);
    return agent;
  }

  async close(): Promise<void> {
    if (this.clock instanceof ScaledClock) this.clock.dispose();
    await this.runner.stop();
    this.agentStore?.close();
    await this.server.close();
  }
}

/** A request the emulator cannot carry out; `status` is the HTTP status it maps to. */
export class EmulatorError extends Error {
  override name = 'EmulatorError';
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}
