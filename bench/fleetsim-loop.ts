/**
 * The fleetsim side of `npm run bench -- tcp`: `fleetsim serve` on a scaled clock in one process,
 * `fleetsim agents` in K more over TCP, all through the binary as a load tester runs them, driven
 * and observed only through the HTTP API (GET /metrics, /sim/events, Graph's bulk executeAction).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MINUTE_MS } from '../sim/time-units.ts';
import { mixedFleet } from '../tools/campaign/mixed-fleet.ts';
import {
  cpuSeconds,
  type Proc,
  rssKb,
  startAgents,
  startService,
  stop,
} from '../tools/campaign/processes.ts';
import { freeLowPort } from '../tools/ports.ts';
import { FleetsimApi, pollUntil } from './fleetsim-api.ts';
import { splitEvenly } from './tcp-plan.ts';

const FIFTEEN_MINUTES_MS = 15 * MINUTE_MS;
const TOKEN = 'bench-token-0123456789abcdef';

/** One admin action sent to many devices: how many, how fast, and how far each got. */
export interface ActionRound {
  accepted: number;
  acknowledged: number;
  withinFifteenMinutes: number;
  /** Wall seconds from the request to the last acknowledgement (sim span / speed). */
  spanS: number;
  /** Propagation in sim seconds: p50, p99, max. */
  p50S: number;
  p99S: number;
  maxS: number;
}

/** Where one phase's time went: wall time, each side's CPU time, the service's longest stall. */
export interface Phase {
  wallS: number;
  serviceCpuS: number;
  agentsCpuS: number;
  serviceLoopDelayMaxS: number;
}

export interface FleetsimFigures {
  devices: number;
  enrolled: number;
  /** Wall seconds from the first enrollment to the last (from the event log's sim times). */
  enrollSpanS: number;
  enrollWithStartS: number;
  sync: ActionRound;
  wipe: ActionRound;
  serviceIdleKb: number;
  serviceKb: number;
  agentsIdleKb: number;
  agentsKb: number;
  /** The service's JavaScript heap in use, and its memory outside the heap, when agentsKb is read. */
  serviceHeapUsedKb: number;
  serviceExternalKb: number;
  phases: { enroll: Phase; sync: Phase; wipe: Phase };
  /** Processes and PIDs, for a profile or heap snapshot of the one that misses. */
  pids: { service: number; agents: number[] };
}

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;

export async function runFleetsim(o: {
  devices: number;
  processes: number;
  speed: number;
  /** Flags for node in every fleetsim process (`--cpu-prof --cpu-prof-dir=…`). */
  nodeArgs?: string[];
  /** Called with the PIDs once everything runs, before the actions (to attach a profiler). */
  onRunning?: (pids: { service: number; agents: number[] }) => Promise<void>;
  /** Called right after memory is measured (after the sync to all), to take heap snapshots. */
  onMeasured?: (pids: { service: number; agents: number[] }) => Promise<void>;
}): Promise<FleetsimFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'fleetsim-bench-'));
  const [httpPort, mqttPort] = [await freeLowPort(), await freeLowPort()];
  const service = await startService({
    dir,
    httpPort,
    mqttPort,
    speed: o.speed,
    token: TOKEN,
    nodeArgs: o.nodeArgs ?? [],
  });
  const api = new FleetsimApi(`http://127.0.0.1:${httpPort}`, TOKEN);
  const agents: Proc[] = [];
  const agentsIn = (sub: string, cohorts: unknown[], seed: string) => {
    mkdirSync(join(dir, sub));
    writeFileSync(join(dir, sub, 'fleet.json'), JSON.stringify(cohorts));
    return startAgents({
      dir: join(dir, sub),
      mqttPort,
      enrollmentToken: service.enrollmentToken,
      seed,
      nodeArgs: o.nodeArgs ?? [],
    });
  };
  try {
    await new Promise((r) => setTimeout(r, 1000));
    const serviceIdleKb = rssKb(service.proc.child.pid);
    // An agents process holding one device is the agents' idle: node, fleetsim and its store.
    const probe = agentsIn('probe', [{ platform: 'windows10', count: 1, osVersion: '22H2' }], 'probe');
    await pollUntil(
      () => api.total('fleetsim_devices_connected'),
      (n) => n === 1,
      60_000,
    );
    const probeId = (await api.devices())[0]!.id;
    await new Promise((r) => setTimeout(r, 1000));
    const agentsIdleKb = rssKb(probe.child.pid) * o.processes;
    await stop(probe);

    const cpu = () => ({
      wallS: performance.now() / 1000,
      serviceCpuS: cpuSeconds(service.proc.child.pid),
      agentsCpuS: agents.reduce((n, a) => n + cpuSeconds(a.child.pid), 0),
    });
    const phase = async <T>(run: () => Promise<T>): Promise<[T, Phase]> => {
      const start = cpu();
      api.takeLoopDelayMaxS();
      const value = await run();
      const end = cpu();
      return [
        value,
        {
          wallS: end.wallS - start.wallS,
          serviceCpuS: end.serviceCpuS - start.serviceCpuS,
          agentsCpuS: end.agentsCpuS - start.agentsCpuS,
          serviceLoopDelayMaxS: api.takeLoopDelayMaxS(),
        },
      ];
    };
    const tSpawn = performance.now();
    const simAtSpawn = await api.simNowMs();
    const [enrolled, enrollPhase] = await phase(async () => {
      splitEvenly(o.devices, o.processes).forEach((count, k) => {
        agents.push(agentsIn(`agents-${k}`, mixedFleet(count), `bench-${k}`));
      });
      const enrollTimeoutMs = Math.max(120_000, o.devices * 50);
      const all = o.devices + 1; // the probe's device too
      const seen = await pollUntil(
        () => api.total('fleetsim_devices_enrolled_total'),
        (n) => n >= all,
        enrollTimeoutMs,
      );
      return seen - 1;
    });
    const enrollWithStartS = (performance.now() - tSpawn) / 1000;
    await pollUntil(
      () => api.total('fleetsim_devices_connected'),
      (n) => n >= enrolled,
      60_000,
    );
    // A device is up, as a bare client is once connected, when it has enrolled, opened its channel
    // and checked in on it: from the first enrollment to the last such first check-in. (Channels
    // open while others still enroll, so the last enrollment alone would end the span too early.)
    const enrollEvents = (await api.events('device.enrolled')).filter((e) => e.atMs >= simAtSpawn);
    const firstCheckInsNow = async () =>
      (await api.events('device.checkIn')).filter(
        (e) => e.atMs >= simAtSpawn && e.type === 'device.checkIn' && e.reason === 'enrolled',
      );
    await pollUntil(
      async () => (await firstCheckInsNow()).length,
      (n) => n >= enrolled,
      60_000,
    );
    const firstCheckIns = await firstCheckInsNow();
    // The log holds the newest 200,000 events of the devices' stories and, apart, the newest 50,000
    // routine check-ins: a fleet too big for either leaves some of these out.
    const enrollSpanS =
      enrollEvents.length < enrolled || firstCheckIns.length < enrolled
        ? Number.NaN // the log no longer holds them all: only the wall figure holds
        : (Math.max(enrollEvents.at(-1)!.atMs, firstCheckIns.at(-1)!.atMs) - enrollEvents[0]!.atMs) /
          o.speed /
          1000;
    const pids = { service: service.proc.child.pid!, agents: agents.map((a) => a.child.pid!) };
    await o.onRunning?.(pids);

    const fleet = (await api.devices()).filter((d) => d.id !== probeId);
    const ids = fleet.map((d) => d.id);
    const [sync, syncPhase] = await phase(() => actionRound(api, o.speed, 'syncDevice', ids));
    const serviceKb = rssKb(service.proc.child.pid);
    const agentsKb = agents.reduce((n, a) => n + rssKb(a.child.pid), 0);
    // What of the service's RSS is JavaScript heap, and what is outside it (buffers, SQLite).
    const m = await api.metrics();
    const serviceMemoryKb = (name: string) =>
      Math.round((m.samples.find((s) => s.name === name)?.value ?? Number.NaN) / 1024);
    const serviceHeapUsedKb = serviceMemoryKb('nodejs_heap_size_used_bytes');
    const serviceExternalKb = serviceMemoryKb('nodejs_external_memory_bytes');
    await o.onMeasured?.(pids);
    // A wipe of 10%, from the Windows devices (every Windows 10 device may be wiped, W-1).
    const windows = fleet.filter((d) => d.operatingSystem === 'Windows').map((d) => d.id);
    const [wipe, wipePhase] = await phase(() =>
      actionRound(api, o.speed, 'wipe', windows.slice(0, Math.floor(o.devices / 10))),
    );
    return {
      devices: o.devices,
      enrolled,
      enrollSpanS,
      enrollWithStartS,
      sync,
      wipe,
      serviceIdleKb,
      serviceKb,
      agentsIdleKb,
      agentsKb,
      serviceHeapUsedKb,
      serviceExternalKb,
      phases: { enroll: enrollPhase, sync: syncPhase, wipe: wipePhase },
      pids,
    };
  } catch (e) {
    // Say why: a process that died says so on stderr (the bench's own error only shows its effect).
    const tail = (p: Proc, name: string) =>
      `${name} (exit ${p.child.exitCode ?? p.child.signalCode ?? 'running'}): ${p.stderr.join('').slice(-1500)}`;
    throw new Error(
      `${(e as Error).message}\n${[tail(service.proc, 'fleetsim serve'), ...agents.map((a, k) => tail(a, `agents ${k}`))].join('\n')}`,
      { cause: e },
    );
  } finally {
    await Promise.all(agents.map((a) => stop(a)));
    await stop(service.proc);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Sends one bulk action and waits (bounded) until every accepted device acknowledged it. */
async function actionRound(
  api: FleetsimApi,
  speed: number,
  action: string,
  ids: string[],
): Promise<ActionRound> {
  const before = await api.total('fleetsim_actions_acknowledged_total', { action });
  const simAtRequest = await api.simNowMs();
  const accepted = await api.bulk(action, ids);
  // Long enough to measure the rate of a slow run (30 ms a device, at least twice the 15 sim-minutes
  // and two minutes); the 15-minute verdict is judged on each action's propagation, not on this.
  const timeoutMs = Math.max(120_000, (2 * FIFTEEN_MINUTES_MS) / speed, ids.length * 30);
  await pollUntil(
    () => api.total('fleetsim_actions_acknowledged_total', { action }),
    (n) => n - before >= accepted.length,
    timeoutMs,
    500,
  );
  const mine = new Set(accepted);
  const acks = (await api.events('action.acknowledged')).filter(
    (e): e is Extract<typeof e, { type: 'action.acknowledged' }> =>
      e.type === 'action.acknowledged' &&
      e.action === action &&
      mine.has(e.deviceId) &&
      e.atMs >= simAtRequest,
  );
  const propagation = acks.map((e) => e.propagationMs).sort((a, b) => a - b);
  const lastAt = acks.length === 0 ? Number.NaN : Math.max(...acks.map((e) => e.atMs));
  return {
    accepted: accepted.length,
    acknowledged: acks.length,
    withinFifteenMinutes: propagation.filter((ms) => ms < FIFTEEN_MINUTES_MS).length,
    spanS: (lastAt - simAtRequest) / speed / 1000,
    p50S: percentile(propagation, 0.5) / 1000,
    p99S: percentile(propagation, 0.99) / 1000,
    maxS: (propagation.at(-1) ?? Number.NaN) / 1000,
  };
}
