import { generateFleet } from '../agent/fleet/generator.ts';
import { AgentStore, upgradeSaved } from '../agent/runtime/agent-store.ts';
import { type AgentDeps, DeviceAgent } from '../agent/runtime/device-agent.ts';
import { FleetRunner } from '../agent/runtime/fleet-runner.ts';
import { waitForServiceClock } from '../cli/agents.ts';
import type { CohortSpec } from '../sim/cohort.ts';
import { EventLog } from '../sim/events.ts';
import { tcpConnector } from '../transport/connector.ts';
import { encode, newHistogram, record } from './histogram.ts';
import { processSampler } from './process-stats.ts';
import { onStop, REPORT_EVERY_MS, readAssignment, say } from './worker-io.ts';

export interface AgentsAssignment {
  index: number;
  broker: string;
  enrollmentToken: string;
  cohorts: CohortSpec[];
  seed: string;
  dbPath: string;
  /** Devices this process starts per wall second; null: all at once. */
  rampPerSecond: number | null;
  /** Wall time (epoch ms) the ramp starts at, shared by every process. */
  startAtWallMs: number;
}

/** This process's log only feeds the counters below: it keeps few events in memory. */
const LOG_CAPACITY = 1000;
/** How often the ramp starts the devices now due. */
const RAMP_TICK_MS = 20;
/** Error reasons are grouped by their text; ids and ports in it would make every one distinct. */
const reasonKey = (text: string) =>
  text
    .replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, '…')
    .replace(/:\d+/g, '')
    .slice(0, 80);

/**
 * One agent process of a load run: its share of the fleet over real TCP, started on the ramp, and
 * a report every second — counts, errors by reason, the enrollment latency histogram (from each
 * device's intended start, in sim ms), memory, CPU and event-loop delay.
 */
export async function runAgentsWorker(): Promise<void> {
  const a = await readAssignment<AgentsAssignment>();
  const sampler = processSampler('agents');
  const store = new AgentStore(a.dbPath, { groupCommit: true }); // a scaled clock: saves commit per turn
  const clock = await waitForServiceClock(a.broker, a.enrollmentToken);
  const log = new EventLog(() => clock.now(), LOG_CAPACITY);
  const deps: AgentDeps = {
    clock,
    connector: tcpConnector(a.broker),
    enrollmentToken: a.enrollmentToken,
    log,
    tracker: null,
    store,
    reconnect: true,
    seed: a.seed,
  };
  const runner = new FleetRunner(deps);
  const devices = generateFleet({ cohorts: a.cohorts, seed: a.seed, epochMs: clock.now() });
  const intendedWall = new Map<string, number>();
  const simAt = (wallMs: number) => {
    const { simOriginMs, wallOriginMs, speed } = clock.anchor;
    return simOriginMs + (wallMs - wallOriginMs) * speed;
  };
  const enrollLatency = newHistogram();
  const enrolled = new Set<string>();
  const errors: Record<string, number> = {};
  log.on((e) => {
    if (e.type === 'agent.checkIn' && e.reason === 'enrolled' && !enrolled.has(e.serialNumber)) {
      enrolled.add(e.serialNumber);
      const wall = intendedWall.get(e.serialNumber);
      if (wall !== undefined) record(enrollLatency, e.atMs - simAt(wall));
    } else if (e.type === 'agent.retry') {
      const key = reasonKey(`${e.step}: ${e.reason}`);
      errors[key] = (errors[key] ?? 0) + 1;
    } else if (e.type === 'wire.rejected') {
      const key = reasonKey(`rejected: ${e.reason}`);
      errors[key] = (errors[key] ?? 0) + 1;
    }
  });

  // The ramp: device j is due at start + j / rate; each tick starts every device now due.
  let started = 0;
  const startDue = () => {
    const now = Date.now();
    // Every process starts at the shared start time, not when it happens to be ready.
    if (now < a.startAtWallMs) return;
    const due =
      a.rampPerSecond === null
        ? devices.length
        : Math.min(devices.length, Math.floor(((now - a.startAtWallMs) / 1000) * a.rampPerSecond) + 1);
    const batch = devices.slice(started, Math.max(started, due));
    if (batch.length === 0) return;
    const agents = batch.map(
      (d) => new DeviceAgent(upgradeSaved({ identity: d.identity, state: d.state, cohort: d.cohort }), deps),
    );
    store.transaction(() => {
      for (const agent of agents) store.save(agent.snapshot);
    });
    for (const [i, agent] of agents.entries()) {
      const j = started + i;
      intendedWall.set(
        agent.serialNumber,
        a.rampPerSecond === null ? a.startAtWallMs : a.startAtWallMs + (j * 1000) / a.rampPerSecond,
      );
      runner.agents.set(agent.serialNumber, agent);
      agent.start();
    }
    started += batch.length;
  };
  const ramp = setInterval(() => {
    startDue();
    if (started >= devices.length) clearInterval(ramp);
  }, RAMP_TICK_MS);

  const report = (final: boolean) => {
    // Devices whose own channel is open now: an enrolling device's enrollment connection is not one.
    let connected = 0;
    for (const agent of runner.agents.values()) if (agent.connected) connected++;
    say({
      type: 'stats',
      final,
      index: a.index,
      process: sampler.sample(),
      devices: devices.length,
      started,
      enrolled: enrolled.size,
      connected,
      errors,
      enrollLatency: encode(enrollLatency),
    });
  };
  const reporter = setInterval(() => report(false), REPORT_EVERY_MS);
  onStop(async () => {
    clearInterval(ramp);
    clearInterval(reporter);
    report(true);
    clock.dispose();
    await runner.stop();
    store.close();
  });
  say({ type: 'ready', index: a.index, pid: process.pid, devices: devices.length });
}
