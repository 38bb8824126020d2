import { FULL_GC_FROM_DEVICES, fullCollection } from '../../sim/full-gc.ts';
import type { FleetSpec } from '../fleet/generator.ts';
import { generateFleet } from '../fleet/generator.ts';
import { type AgentStore, upgradeSaved } from './agent-store.ts';
import { type AgentDeps, DeviceAgent } from './device-agent.ts';

/**
 * On the virtual clock a fleet's new devices start in waves of START_WAVE, START_WAVE_GAP_MS of sim
 * time apart: a wave enrolls (two hops of modelled latency) before the next starts. Started at one
 * instant, 10,000 devices were all enrolling at once: ~40 MB more live objects than once enrolled
 * (connections being set up, half-done exchanges), the peak of a month's memory, and 8 s of
 * enrolment where waves take 6 (`npm run bench -- month`). A fleet of up to START_WAVE devices
 * starts at once (unless waves booked before still wait), as does every fleet on the scaled clock,
 * whose load tests measure that burst.
 */
export const START_WAVE = 100;
export const START_WAVE_GAP_MS = 200;
const STOP_BATCH = 250;

/** A wave of starts (FleetRunner.inWaves). */
interface Wave {
  windowMs: number;
  atMs: number;
  size: number;
}

/**
 * Runs many device agents in one process, next to the service or against a broker elsewhere.
 * With a store, every device survives the process: `restore()` brings them back as they were.
 */
export class FleetRunner {
  readonly agents = new Map<string, DeviceAgent>();
  /**
   * The last wave booked on the virtual clock: the START_WAVE_GAP_MS of sim time from `windowMs` it
   * fills, how many it holds, and when its latest part runs (`atMs`, at or after `windowMs`).
   */
  private lastWave: Wave | null = null;
  /** Parts of waves booked so far: their timers' keys keep the order they were booked in. */
  private partsBooked = 0;

  constructor(private readonly deps: Omit<AgentDeps, 'store'> & { store: AgentStore | null }) {}

  /**
   * Generates the fleet from its seed and cohorts and starts the devices not yet running (they
   * enroll). Returns every device the spec names, the ones already running included, so the same
   * spec given twice changes nothing and answers the same.
   */
  addFleet(spec: Omit<FleetSpec, 'seed'> & { seed?: string }): DeviceAgent[] {
    const devices = generateFleet({ ...spec, seed: spec.seed ?? this.deps.seed });
    const named: DeviceAgent[] = [];
    const added: DeviceAgent[] = [];
    for (const d of devices) {
      const running = this.agents.get(d.identity.serialNumber);
      if (running) {
        named.push(running);
        continue;
      }
      // Generated for this agent alone: handed over, not copied.
      const agent = new DeviceAgent(
        upgradeSaved({ identity: d.identity, state: d.state, cohort: d.cohort }),
        this.deps,
        true,
      );
      this.agents.set(d.identity.serialNumber, agent);
      added.push(agent);
      named.push(agent);
    }
    // Stored before any starts: a crash while starting leaves every device of the fleet on disk.
    this.deps.store?.transaction(() => {
      for (const agent of added) this.deps.store!.save(agent.snapshot);
    });
    this.inWaves(added, 'start', (agent) => agent.start());
    return named;
  }

  /**
   * Runs `act` on the agents in waves of at most START_WAVE, START_WAVE_GAP_MS of sim time apart
   * (virtual clock); on the scaled clock on every agent now. The waves are the runner's, not the
   * call's: devices restored, added or reconnecting around the same time share them, so each
   * wave's START_WAVE_GAP_MS of sim time starts at most START_WAVE, however many calls asked.
   */
  private inWaves(agents: DeviceAgent[], what: string, act: (agent: DeviceAgent) => void): void {
    const { clock } = this.deps;
    if (clock.mode !== 'virtual') {
      for (const agent of agents) act(agent);
      return;
    }
    const now = clock.now();
    let wave = this.currentWave(now);
    for (let from = 0; from < agents.length; ) {
      if (wave.size === START_WAVE) {
        const next = wave.windowMs + START_WAVE_GAP_MS;
        wave = { windowMs: next, atMs: next, size: 0 };
      }
      const part = agents.slice(from, from + START_WAVE - wave.size);
      wave.size += part.length;
      from += part.length;
      // A stopped agent neither starts nor reconnects: a wave due after the fleet stopped does nothing.
      const runPart = () => {
        for (const agent of part) act(agent);
      };
      if (wave.atMs === now) runPart();
      else
        clock.schedule(
          wave.atMs,
          `fleet:wave:${String(this.partsBooked++).padStart(9, '0')}:${what}`,
          runPart,
        );
    }
    this.lastWave = wave;
  }

  /**
   * The wave agents asked for at `now` join: the last one booked while its window lasts (what it
   * started already counts), else a new one from now.
   */
  private currentWave(now: number): Wave {
    const last = this.lastWave;
    if (last === null || now >= last.windowMs + START_WAVE_GAP_MS)
      return { windowMs: now, atMs: now, size: 0 };
    // Booked ahead: join it when it runs. Its window has begun: start now, counted in it.
    return last.atMs >= now ? last : { windowMs: last.windowMs, atMs: now, size: last.size };
  }

  /** Brings back every device the store holds (after a restart or a crash), in waves as addFleet. */
  restore(): DeviceAgent[] {
    const restored: DeviceAgent[] = [];
    for (const saved of this.deps.store?.loadAll() ?? []) {
      const agent = new DeviceAgent(saved, this.deps);
      this.agents.set(saved.identity.serialNumber, agent);
      restored.push(agent);
    }
    this.inWaves(restored, 'restore', (agent) => agent.start());
    return restored;
  }

  /** Every device connects again (the service restarted), in waves as addFleet. */
  reconnectAll(): void {
    this.inWaves(this.all(), 'reconnect', (agent) => agent.reconnect());
  }

  get(serialNumber: string): DeviceAgent | undefined {
    return this.agents.get(serialNumber);
  }

  all(): DeviceAgent[] {
    return [...this.agents.values()];
  }

  byChannel(channelId: string): DeviceAgent | undefined {
    return this.all().find((a) => a.credentials?.channelId === channelId);
  }

  /**
   * Stops every device. On the virtual clock, where no time passes meanwhile, STOP_BATCH at a
   * time: 10,000 devices closing their connections at once held ~35 MB more than before they began,
   * the peak of a month's memory once the fleet enrolled in waves (`npm run bench -- month`).
   */
  async stop(): Promise<void> {
    const agents = this.all();
    // Every device halts at once (as when all stopped together); only the closing is in batches.
    for (const agent of agents) agent.halt();
    // What closing promotes then fills the old generation's garbage, not new pages (sim/full-gc.ts).
    if (agents.length >= FULL_GC_FROM_DEVICES) fullCollection();
    const batch = this.deps.clock.mode === 'virtual' ? STOP_BATCH : agents.length;
    const failed: unknown[] = [];
    for (let i = 0; i < agents.length; i += batch) {
      const settled = await Promise.allSettled(agents.slice(i, i + batch).map((a) => a.stop()));
      for (const s of settled) if (s.status === 'rejected') failed.push(s.reason);
    }
    if (failed.length > 0) throw failed[0];
  }
}
