import type { FleetSpec } from '../fleet/generator.ts';
import { generateFleet } from '../fleet/generator.ts';
import { type AgentStore, upgradeSaved } from './agent-store.ts';
import { type AgentDeps, DeviceAgent } from './device-agent.ts';

/**
 * Runs many device agents in one process, next to the service or against a broker elsewhere.
 * With a store, every device survives the process: `restore()` brings them back as they were.
 */
export class FleetRunner {
  readonly agents = new Map<string, DeviceAgent>();

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
    for (const agent of added) agent.start();
    return named;
  }

  /** Brings back every device the store holds (after a restart or a crash). */
  restore(): DeviceAgent[] {
    const restored: DeviceAgent[] = [];
    for (const saved of this.deps.store?.loadAll() ?? []) {
      const agent = new DeviceAgent(saved, this.deps);
      this.agents.set(saved.identity.serialNumber, agent);
      restored.push(agent);
    }
    for (const agent of restored) agent.start();
    return restored;
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

  async stop(): Promise<void> {
    await Promise.all(this.all().map((a) => a.stop()));
  }
}
