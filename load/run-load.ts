import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ScaledClock } from '../sim/clock/scaled-clock.ts';
import type { AgentsAssignment } from './agents-worker.ts';
import { openEventFeed } from './event-feed.ts';
import { decode, type Histogram, merge, newHistogram, percentiles } from './histogram.ts';
import { type LiveSnapshot, liveLines, plainLine, redraw } from './live-view.ts';
import type { LoadPlan } from './plan.ts';
import { distortionWarning, type ProcessSample, processSampler } from './process-stats.ts';
import { ProcessTracker } from './process-tracker.ts';
import type { LoadReport } from './report-schema.ts';
import { ActionScheduler, type StepOutcome } from './scheduler.ts';
import { Tally } from './tally.ts';
import { openTarget } from './target.ts';
import { Worker } from './workers.ts';

/** Wall time between the agents' spawn and the ramp's start: the time their processes take to start. */
const START_DELAY_MS = 3000;
/** Seconds between plain progress lines when stdout is not a terminal. */
const PLAIN_EVERY_S = 5;

/** The warning with the larger figure in it (both of one kind). */
const worse = (a: string, b: string) => Number(/\d+/.exec(a)?.[0]) > Number(/\d+/.exec(b)?.[0]);

/** Everything a run observed, for the report. */
export interface RunData {
  broker: string;
  api: string;
  /** Wall time (epoch ms) the ramp started at. */
  startAtWallMs: number;
  wallMs: number;
  simMs: number;
  speed: number;
  tally: Tally;
  outcomes: StepOutcome[];
  enrollLatency: Histogram;
  connected: number;
  /** PUBLISH packets the broker routed during the run; null when the service did not say. */
  brokerMessages: number | null;
  timeline: LoadReport['timeline'];
  processes: LoadReport['processes'];
  warnings: string[];
  service: Record<string, unknown> | null;
}

export interface Screen {
  write(text: string): void;
  isTTY: boolean;
  columns: number;
}

/** Runs the plan; `banner` is printed once the target answers (a refusal before it prints nothing). */
export async function runLoad(plan: LoadPlan, screen: Screen, banner: string): Promise<RunData> {
  const ownDir = plan.dataDir === null;
  const dataDir = ownDir ? mkdtempSync(join(tmpdir(), 'fleetsim-load-')) : resolve(plan.dataDir!);
  mkdirSync(dataDir, { recursive: true });
  const generator = processSampler('generator');
  const target = await openTarget(plan.target, { speed: plan.speed, seed: plan.seed, dataDir });
  const agents: Worker[] = [];
  screen.write(`${banner}\n`);
  try {
    const c = await target.api.clock();
    const clock = ScaledClock.startingAt(c.nowMs, c.speed ?? plan.speed);
    // The broker's count of messages routed: from the embedded service's reports, from a remote
    // one's GET /sim/stats; the count before the run is taken off.
    const published = async (): Promise<number | null> => {
      const stats = target.service ? target.service.last : await target.api.stats().catch(() => null);
      const n = (stats?.mqtt as { published?: unknown } | null | undefined)?.published;
      return typeof n === 'number' ? n : null;
    };
    const publishedBefore = (await target.api.stats().catch(() => null))?.mqtt as
      | { published?: number }
      | null
      | undefined;
    const brokerBase = publishedBefore?.published ?? 0;
    const tally = new Tally();
    const warnings: string[] = [];
    const feed = await openEventFeed(
      target.api.base,
      target.token,
      (e) => tally.observe(e),
      (why) => warnings.push(why),
    );
    const startAtWallMs = Date.now() + START_DELAY_MS;
    const startSimMs = clock.now() + START_DELAY_MS * clock.speed;
    plan.fleets.forEach((cohorts, index) => {
      const assignment: AgentsAssignment = {
        index,
        broker: target.broker,
        enrollmentToken: target.enrollmentToken,
        cohorts,
        seed: `${plan.seed}/agents:${index}`,
        dbPath: join(dataDir, `agents-${index + 1}.db`),
        rampPerSecond: plan.rampPerSecond === null ? null : plan.rampPerSecond / plan.processes.processes,
        startAtWallMs,
      };
      agents.push(new Worker(`agents#${index + 1}`, 'agents', assignment));
    });
    await Promise.all(agents.map((w) => w.ready()));
    const scheduler = new ActionScheduler(plan.actions, {
      clock,
      startSimMs,
      api: target.api,
      tally,
      seed: plan.seed,
    });
    scheduler.start();

    const tracker = new ProcessTracker();
    const timeline: LoadReport['timeline'] = [];
    let previousLines = 0;
    let previous = { enrolled: 0, checkIns: 0, published: brokerBase, at: Date.now() };
    let brokerSeen = false;
    let tick = 0;
    const endWallMs = startAtWallMs + plan.durationMs / clock.speed;
    const agentHistograms = () =>
      merge(agents.flatMap((w) => (w.last?.enrollLatency ? [decode(String(w.last.enrollLatency))] : [])));
    const connectedNow = () => agents.reduce((n, w) => n + Number(w.last?.connected ?? 0), 0);
    const everySecond = async () => {
      tick++;
      const now = Date.now();
      const g = generator.sample();
      tracker.add('generator', 0, g);
      // One warning of each kind, the worst seen: the report says how far the figures may be off.
      const warn = now >= startAtWallMs ? distortionWarning(g) : null;
      if (warn) {
        const kind = warn.slice(0, 20);
        const at = warnings.findIndex((w) => w.startsWith(kind));
        if (at < 0) warnings.push(warn);
        else if (worse(warn, warnings[at]!)) warnings[at] = warn;
      }
      const procs: { name: string; sample: ProcessSample | null }[] = [{ name: 'generator', sample: g }];
      const service = target.service?.last;
      if (target.service) {
        const s = (service?.process as ProcessSample | undefined) ?? null;
        if (s) tracker.add('service', plan.devices, s);
        procs.push({ name: 'service', sample: s });
      }
      const agentErrors: Record<string, number> = {};
      for (const w of agents) {
        const s = (w.last?.process as ProcessSample | undefined) ?? null;
        if (s) tracker.add(w.name, Number(w.last?.devices ?? 0), s);
        procs.push({ name: w.name, sample: s });
        for (const [k, v] of Object.entries((w.last?.errors ?? {}) as Record<string, number>))
          agentErrors[k] = (agentErrors[k] ?? 0) + v;
      }
      const enrolled = tally.serialsEnrolled.size;
      const brokerNow = await published();
      if (brokerNow !== null) brokerSeen = true;
      const seconds = Math.max(0.001, (now - previous.at) / 1000);
      const brokerMessagesPerSecond =
        brokerNow === null ? null : Math.max(0, brokerNow - previous.published) / seconds;
      const connected = connectedNow();
      timeline.push({
        wallMs: Math.max(0, now - startAtWallMs),
        simMs: clock.now() - startSimMs,
        enrolled,
        connected,
        checkIns: tally.checkIns,
        delivered: tally.delivered,
        acknowledged: percentiles(tally.propagation.get('all')!).count,
        brokerMessagesPerSecond:
          brokerMessagesPerSecond === null ? null : Math.round(brokerMessagesPerSecond * 10) / 10,
      });
      const snapshot: LiveSnapshot = {
        wallMs: Math.max(0, now - startAtWallMs),
        simMs: Math.max(0, clock.now() - startSimMs),
        durationMs: plan.durationMs,
        speed: clock.speed,
        devices: plan.devices,
        enrolled,
        connected,
        connectsPerSecond: (enrolled - previous.enrolled) / seconds,
        checkInsPerSecond: (tally.checkIns - previous.checkIns) / seconds,
        delivered: tally.delivered,
        pending: tally.pendingCount,
        platforms: tally.platforms,
        propagation: percentiles(tally.propagation.get('all')!),
        checkInLateness: percentiles(tally.checkInLateness),
        brokerMessagesPerSecond,
        errors: { ...tally.errors, ...agentErrors },
        processes: procs,
      };
      previous = { enrolled, checkIns: tally.checkIns, published: brokerNow ?? previous.published, at: now };
      if (screen.isTTY) {
        const lines = liveLines(snapshot);
        screen.write(redraw(lines, previousLines, screen.columns));
        previousLines = lines.length;
      } else if (tick % PLAIN_EVERY_S === 0) screen.write(`${plainLine(snapshot)}\n`);
    };
    await new Promise<void>((done) => {
      const timer = setInterval(() => {
        void everySecond().then(() => {
          if (Date.now() >= endWallMs) {
            clearInterval(timer);
            done();
          }
        });
      }, 1000);
      const lost = agents.map((w) =>
        w.exited.then((code) => {
          if (Date.now() < endWallMs)
            warnings.push(`${w.name} stopped early (exit code ${code}): ${w.errorOutput.trim().slice(-300)}`);
        }),
      );
      void lost;
    });
    const wallMs = Date.now() - startAtWallMs;
    const simMs = clock.now() - startSimMs;
    // What happens after the end is not part of the run: the figures stop here.
    feed.close();
    await scheduler.stop();
    // Final counts from each agent process, taken as it stops.
    await Promise.all(agents.map((w) => w.stop()));
    const connected = connectedNow();
    for (const w of agents) {
      const s = w.last?.process as ProcessSample | undefined;
      if (s) tracker.add(w.name, Number(w.last?.devices ?? 0), s);
      for (const [k, v] of Object.entries((w.last?.errors ?? {}) as Record<string, number>))
        tally.error(k, v);
    }
    let service: Record<string, unknown> | null = null;
    try {
      service = await target.api.stats();
    } catch {
      warnings.push('GET /sim/stats did not answer at the end');
    }
    clock.dispose();
    return {
      broker: target.broker,
      api: target.api.base,
      startAtWallMs,
      wallMs: Math.max(0, wallMs),
      simMs: Math.max(0, simMs),
      speed: clock.speed,
      tally,
      outcomes: scheduler.outcomes,
      enrollLatency: agents.length > 0 ? agentHistograms() : newHistogram(),
      connected,
      // As of the last second of the run (the agents stopping afterwards is not part of it).
      brokerMessages: brokerSeen ? previous.published - brokerBase : null,
      timeline,
      processes: tracker.report(),
      warnings,
      service,
    };
  } finally {
    generator.stop();
    await Promise.all(agents.map((w) => w.stop()));
    await target.service?.stop();
    if (ownDir) rmSync(dataDir, { recursive: true, force: true });
  }
}
