import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { writeHeapSnapshot } from 'node:v8';
import { demoFleet } from '../cli/demo/demo-fleet.ts';
import { leanHeap } from '../cli/lean-heap.ts';
import { semiSpaceGiven, youngGenerationFlagFor } from '../cli/young-generation.ts';
import { loadScenarioFile } from '../scenarios/engine/load.ts';
import { htmlReport } from '../scenarios/engine/reporters/html.ts';
import { jsonReport } from '../scenarios/engine/reporters/json.ts';
import { fleetSize } from '../scenarios/engine/results.ts';
import { runScenario } from '../scenarios/engine/runner.ts';
import { FULL_GC_FROM_DEVICES, fullCollection } from '../sim/full-gc.ts';
import { DAY_MS } from '../sim/time-units.ts';
import { argValue } from './args.ts';
import {
  callgrindFileMisuse,
  countedChild,
  countFromHere,
  describeCounts,
  describeMainThreadParts,
  sumCounts,
  underCallgrind,
} from './callgrind.ts';
import { lastJson } from './child-figures.ts';
import { type FloorFigures, floorRounds } from './month-floor.ts';
import { type FloorCliContext, floorChild, floorCli } from './month-floor-cli.ts';
import { secondsToOpen } from './report-open.ts';
import { mainThreadCpuUs } from './thread-cpu.ts';
import { describeMachine, measureMachine } from './yardstick.ts';

/**
 * A month of a big mixed fleet on the virtual clock (issue 11), through what `fleetsim run` does:
 * a generated scenario file, loaded and run by the scenario engine on the real aedes broker over
 * in-memory connections. Every platform, Windows 10 the largest cohort; 10% of each platform goes
 * offline at the start and the 30-day cleanup rule deletes them (D-2; the corporate Android
 * Enterprise modes stay, D-3).
 *
 *   npm run bench -- month                       1,000 and 10,000 devices × 30 days, each size then
 *                                                the floor at its size (--floor, below)
 *   npm run bench -- month --big                 and 10,000 and 50,000 × 7 days (like for like)
 *   … --repeat N                                 each size N times: the median, lowest and highest
 *   npm run bench -- month --devices N --days D  one run
 *   … --profile FILE                             and a CPU profile from sim day 1 to sim end
 *   … --alloc-profile FILE                       or an allocation profile, over the same span
 *   … --promoted-profile FILE                    or one of what outlived the young generation
 *   … --heap-snapshot FILE                       and a heap snapshot at sim day 2 (after a full GC,
 *                                                the one collection the bench itself asks for)
 *   … --ballast MB                               with that much of other live objects in the heap
 *   … --callgrind FILE                           under valgrind: instructions and modelled cache
 *                                                misses per check-in over the last sim day, the
 *                                                same on a busy machine (bench/callgrind.ts)
 *   npm run bench -- month --floor --devices N   the floor: aedes and mqtt.js alone at that size
 *                                                (bench/month-floor.ts); with --callgrind, counted
 *   … --rounds R                                 timing R rounds of every client (default ~300,000
 *                                                messages)
 *
 * Targets: 10,000 × 30 days in ≤ 60 s wall, ≤ 40 KB per device, memory flat over sim time,
 * CPU per check-in not growing with the fleet, its JSON and HTML reports in seconds.
 */

/** D-3: cleanup leaves these alone, so their offline devices stay listed. */
const CLEANUP_EXEMPT = new Set<string>([
  'androidDedicated',
  'androidFullyManaged',
  'androidCorporateWorkProfile',
]);
const OFFLINE_SHARE = 0.1;
const CLEANUP_DAYS = 30;
/** The scenario schema's limit on one cohort. */
const COHORT_MAX = 10_000;

/** The scenario file for `devices` over `days` (the cleanup shows when days ≥ 30: it runs 2 h past). */
export function scenarioYaml(devices: number, days: number): string {
  const fleet: string[] = [];
  const offline: string[] = [];
  const expect: string[] = [];
  const end = `${days}d2h`;
  const target = (name: string) => `{ cohort: ${name} }`;
  const slug = (name: string) => name.replace(/[^A-Za-z0-9_-]+/g, '-');
  // The demo's fleet: every platform in a real tenant's mix, Windows 10 the largest.
  for (const c of demoFleet(devices)) {
    const off = Math.max(1, Math.round(c.count * OFFLINE_SHARE));
    const name = slug(c.name ?? c.platform);
    const offName = `${name}-offline`;
    // A scenario cohort holds at most COHORT_MAX devices: a bigger one comes in parts.
    for (let part = 0, left = c.count - off; left > 0; part++, left -= COHORT_MAX) {
      const partName = part === 0 ? name : `${name}-${part + 1}`;
      fleet.push(`  - ${JSON.stringify({ ...c, name: partName, count: Math.min(left, COHORT_MAX) })}`);
      expect.push(`  - { expect: record, at: ${end}, target: ${target(partName)}, listed: true }`);
    }
    fleet.push(`  - ${JSON.stringify({ ...c, name: offName, count: off })}`);
    offline.push(`  - { at: 0s, do: network, target: ${target(offName)}, online: false }`);
    const gone = days >= CLEANUP_DAYS && !CLEANUP_EXEMPT.has(c.platform);
    expect.push(`  - { expect: record, at: ${end}, target: ${target(offName)}, listed: ${!gone} }`);
  }
  return [
    `name: A month of ${devices} devices (issue 11 benchmark)`,
    'seed: virtual-month',
    'fleet:',
    ...fleet,
    'timeline:',
    `  - { at: 0s, do: cleanupSettings, days: ${CLEANUP_DAYS} }`,
    ...offline,
    // A little admin work on the way, so commands travel too: a sync of a cohort and one wipe.
    `  - { at: 1d, do: sync, target: ${target('Mac')}, id: sync }`,
    `  - { at: 1d, do: wipe, target: { cohort: Windows-10, index: 0 }, options: { keepEnrollmentData: true, keepUserData: true }, id: wipe }`,
    'expect:',
    '  - { expect: acknowledged, of: sync, within: 15m }',
    '  - { expect: completed, of: wipe, within: 2h }',
    ...expect,
    `runFor: ${end}`,
    '',
  ].join('\n');
}

interface MemorySample {
  simDay: number;
  rssMb: number;
  /** After the last full collection V8 ran that sim day (none is forced), if it ran one. */
  heapAfterGcMb: number | null;
  /** The heap V8 holds (used or not), and memory outside it (buffers, SQLite): where RSS goes. */
  heapTotalMb: number;
  externalMb: number;
}

export interface MonthFigures {
  devices: number;
  days: number;
  passed: boolean;
  wallS: number;
  cpuS: number;
  checkIns: number;
  cpuUsPerCheckIn: number;
  /**
   * From sim day 1 to the end of sim time: the fleet enrolled, its first-hour check-ins done (the
   * steady state), and not yet stopped.
   */
  steadyCpuUsPerCheckIn: number;
  /** Check-ins handled in that span (what a profile of it divides by). */
  steadyCheckIns: number;
  /** Check-ins in the span a run under callgrind counts (`countedFromDay` to the end). */
  countedCheckIns: number;
  /**
   * The same from sim day 1 to sim day 7 (null in a shorter run): one span of the schedule for
   * every size, so a 30-day and a 7-day run compare like for like.
   */
  weekCpuUsPerCheckIn: number | null;
  /** And from sim day 7 to the end of sim time (null in a run of 7 days or fewer). */
  laterCpuUsPerCheckIn: number | null;
  /**
   * From sim day 3 to the end of sim time (null in a run of 3 days or fewer), all threads and the
   * main thread's own: past V8's compiling, what the floor (month-floor.ts) is set beside.
   */
  settledCpuUsPerCheckIn: number | null;
  settledMainUsPerCheckIn: number | null;
  settledGcUsPerCheckIn: number | null;
  /**
   * Of that, the main thread's time in garbage-collection pauses per check-in from sim day 1 on:
   * what grows with the heap when the rest does not.
   */
  steadyGcUsPerCheckIn: number;
  /**
   * The main thread's own CPU per check-in from sim day 1 on (Linux: /proc/self/task); the rest
   * of the process's CPU is V8's helper threads (concurrent marking and sweeping) and libuv's.
   */
  steadyMainThreadUsPerCheckIn: number | null;
  /** CPU after sim time ended: stopping every device and the service (a cost per device). */
  stopCpuS: number;
  /** The process's peak RSS from start to its reports written (before chromium's client loads). */
  peakRssMb: number;
  peakRssKbPerDevice: number;
  heapAfterGcKbPerDevice: number;
  samples: MemorySample[];
  jsonReportS: number;
  jsonReportMb: number;
  htmlReportS: number;
  htmlReportMb: number;
  /** Opening the HTML report in chromium to its first paint (null without chromium). */
  htmlOpenS: number | null;
  failures: string[];
}

const MB = 1024 * 1024;
/**
 * Where a run under callgrind starts counting: its last sim day (the day before its last, and
 * the two hours past it). Sim day 1 is not yet the steady state there: at 1,000 devices its
 * instructions per check-in (all threads) were 2.7 times sim day 3's, most of them V8 compiling.
 */
const countedFromDay = (days: number) => Math.max(1, days - 1);
/** The span every size is also measured over: sim day 1 to this day. */
const WEEK_DAYS = 7;
/**
 * From this sim day on a check-in costs what it will: at 1,000 devices sim day 1 to 2 took 120 µs
 * a check-in, day 2 to 3 45 µs, and each day after 23–27 µs (V8 compiling, then settling).
 */
const SETTLED_DAY = 3;
const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

/**
 * A profile of the steady state (from sim day 1 on, after the fleet enrolled): `--profile FILE`
 * for CPU, `--alloc-profile FILE` for allocations (sampled, the ones already collected included:
 * where a check-in's short-lived garbage comes from), `--promoted-profile FILE` for those that
 * outlived the young generation (what the old generation and its collections pay for).
 */
type ProfileKind = 'cpu' | 'alloc' | 'promoted';
function profiler(kind: ProfileKind) {
  const session = new Session();
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) =>
      session.post(method, params, (err, result) => (err ? reject(err) : resolve(result))),
    );
  return {
    start() {
      session.connect();
      if (kind === 'cpu') void post('Profiler.enable').then(() => post('Profiler.start'));
      else
        void post('HeapProfiler.startSampling', {
          samplingInterval: 32 * 1024,
          includeObjectsCollectedByMajorGC: true,
          includeObjectsCollectedByMinorGC: kind === 'alloc',
        });
    },
    async stop(file: string) {
      const stop = kind === 'cpu' ? 'Profiler.stop' : 'HeapProfiler.stopSampling';
      const { profile } = (await post(stop)) as { profile: object };
      writeFileSync(file, JSON.stringify(profile));
      process.stderr.write(
        `${kind === 'cpu' ? 'CPU' : kind === 'alloc' ? 'allocation' : 'promoted-allocation'} profile from sim day 1 to sim end: ${file}\n`,
      );
    },
  };
}

/** A moment of a run: CPU (µs), check-ins, GC pauses, main thread's CPU. */
interface Mark {
  cpuUs: number;
  checkIns: number;
  gcUs: number;
  mainUs: number | null;
}

/** Per check-in between two marks (zeros when none lies between). */
function perCheckIn(
  from: Mark | null,
  to: Mark | null,
): { n: number; cpu: number; gc: number; main: number | null } {
  if (!from || !to || to.checkIns <= from.checkIns) return { n: 0, cpu: 0, gc: 0, main: null };
  const n = to.checkIns - from.checkIns;
  // To a tenth of a µs: the floor is set beside these, and a difference of whole µs hides a few.
  const main = from.mainUs !== null && to.mainUs !== null ? round((to.mainUs - from.mainUs) / n) : null;
  return { n, cpu: round((to.cpuUs - from.cpuUs) / n), gc: round((to.gcUs - from.gcUs) / n), main };
}

/** One run in this process. */
async function runOnce(
  devices: number,
  days: number,
  profile?: { kind: ProfileKind; file: string },
  snapshotTo?: string,
): Promise<MonthFigures> {
  const profiling = profile ? profiler(profile.kind) : null;
  const dir = mkdtempSync(join(tmpdir(), 'fleetsim-bench-month-'));
  const file = join(dir, `month-${devices}.yaml`);
  writeFileSync(file, scenarioYaml(devices, days));
  const loaded = loadScenarioFile(file);
  const samples: MemorySample[] = [];
  let checkIns = 0;
  /** Main-thread GC pause time (µs) so far, from V8's gc performance entries. */
  let gcPauseUs = 0;
  /**
   * The heap just after V8's last full collection this sim day, read when its entry arrives (a
   * little later). Not v8's GCProfiler: it kept every collection's figures in memory of its own,
   * ~40 MB by the end of a month, which the run's RSS then counted.
   */
  let afterFullGc: number | null = null;
  const gcWatch = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      gcPauseUs += e.duration * 1000;
      if ((e as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR)
        afterFullGc = process.memoryUsage().heapUsed;
    }
  });
  gcWatch.observe({ entryTypes: ['gc'] });
  /**
   * CPU (µs) and check-ins at sim day 1 (the fleet enrolled) and at the end of sim time: the
   * steady state lies between, without enrolling the fleet before it or stopping it after (both
   * cost per device, not per check-in).
   */
  let dayOne: Mark | null = null;
  let daySeven: Mark | null = null;
  let dayThree: Mark | null = null;
  let countedFrom: Mark | null = null;
  let simEnd: Mark | null = null;
  const mark = (): Mark => {
    const c = process.cpuUsage(cpu0);
    return { cpuUs: c.user + c.system, checkIns, gcUs: gcPauseUs, mainUs: mainThreadCpuUs() };
  };
  let profileStopped: Promise<void> | null = null;
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  const result = await runScenario(loaded, {
    onStart(emulator) {
      // Check-ins the service handled, counted as they happen (not estimated from schedules).
      emulator.log.on((e) => {
        if (e.type === 'device.checkIn') checkIns++;
      });
      const { clock } = emulator;
      const startMs = clock.now();
      const endMs = startMs + days * DAY_MS + 2 * 60 * 60_000;
      const sample = () => {
        const day = Math.round((clock.now() - startMs) / DAY_MS);
        const full = afterFullGc;
        afterFullGc = null;
        const m = process.memoryUsage();
        samples.push({
          simDay: day,
          rssMb: round(m.rss / MB),
          heapAfterGcMb: full === null ? null : round(full / MB),
          heapTotalMb: round(m.heapTotal / MB),
          externalMb: round(m.external / MB),
        });
        clock.schedule(clock.now() + DAY_MS, 'bench:memory', sample);
      };
      clock.schedule(startMs + DAY_MS, 'bench:memory', sample);
      clock.schedule(startMs + DAY_MS, 'bench:steady', () => {
        dayOne = mark();
      });
      // Counted under callgrind: the last sim day, after the first days' compiling and settling.
      clock.schedule(startMs + countedFromDay(days) * DAY_MS, 'bench:count', () => {
        countedFrom = mark();
        countFromHere(true);
      });
      if (days > SETTLED_DAY)
        clock.schedule(startMs + SETTLED_DAY * DAY_MS, 'bench:settled', () => {
          dayThree = mark();
        });
      if (days >= WEEK_DAYS)
        clock.schedule(startMs + WEEK_DAYS * DAY_MS, 'bench:week', () => {
          daySeven = mark();
        });
      // The run ends at endMs; its last millisecond is still sim time.
      clock.schedule(endMs - 1, 'bench:steady', () => {
        countFromHere(false);
        simEnd = mark();
        if (profile && profiling) profileStopped = profiling.stop(profile.file);
      });
      if (profiling) clock.schedule(startMs + DAY_MS, 'bench:profile', () => profiling.start());
      if (snapshotTo)
        clock.schedule(startMs + 2 * DAY_MS, 'bench:snapshot', () => {
          fullCollection(); // the one collection of its own, for the snapshot alone
          process.stderr.write(`heap snapshot at sim day 2: ${writeHeapSnapshot(snapshotTo)}\n`);
        });
    },
  });
  await profileStopped;
  const wallS = (performance.now() - wall0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuS = (cpu.user + cpu.system) / 1e6;
  gcWatch.disconnect();
  const end = simEnd as Mark | null;
  const steadyState = perCheckIn(dayOne, end);
  const week = days >= WEEK_DAYS ? perCheckIn(dayOne, daySeven) : null;
  const later = days > WEEK_DAYS ? perCheckIn(daySeven, end) : null;
  const settled = days > SETTLED_DAY ? perCheckIn(dayThree, end) : null;
  const stopCpuS = end ? cpuS - end.cpuUs / 1e6 : 0;
  const last = samples.findLast((s) => s.heapAfterGcMb !== null);
  // As `fleetsim run` does before its reports (cli/run.ts).
  if (fleetSize(result) >= FULL_GC_FROM_DEVICES) fullCollection();
  let t = performance.now();
  const json = jsonReport([result]);
  const jsonReportS = (performance.now() - t) / 1000;
  t = performance.now();
  const html = htmlReport([result], { jsonHref: 'month.json' });
  const htmlReportS = (performance.now() - t) / 1000;
  const htmlFile = join(dir, 'month.html');
  writeFileSync(htmlFile, html);
  // The run's peak, its reports included: read before the browser's client library loads into this
  // process to time the report's opening (playwright-core: ~50 MB of RSS, the bench's, not the run's).
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  // Under callgrind the browser's client library would load into the counted process: not opened.
  const htmlOpenS = underCallgrind() ? null : await secondsToOpen(htmlFile);
  rmSync(dir, { recursive: true, force: true });
  return {
    devices,
    days,
    passed: result.passed,
    wallS: round(wallS),
    cpuS: round(cpuS),
    checkIns,
    cpuUsPerCheckIn: Math.round((cpuS * 1e6) / Math.max(1, checkIns)),
    steadyCpuUsPerCheckIn: steadyState.cpu,
    steadyCheckIns: steadyState.n,
    countedCheckIns: perCheckIn(countedFrom, end).n,
    weekCpuUsPerCheckIn: week ? week.cpu : null,
    laterCpuUsPerCheckIn: later ? later.cpu : null,
    settledCpuUsPerCheckIn: settled ? settled.cpu : null,
    settledMainUsPerCheckIn: settled ? settled.main : null,
    settledGcUsPerCheckIn: settled ? settled.gc : null,
    steadyGcUsPerCheckIn: steadyState.gc,
    steadyMainThreadUsPerCheckIn: steadyState.main,
    stopCpuS: round(stopCpuS),
    peakRssMb: Math.round(peakRssMb),
    peakRssKbPerDevice: Math.round((peakRssMb * 1024) / devices),
    heapAfterGcKbPerDevice: last ? Math.round((last.heapAfterGcMb! * 1024) / devices) : 0,
    samples,
    jsonReportS: round(jsonReportS, 2),
    jsonReportMb: round(json.length / MB),
    htmlReportS: round(htmlReportS, 2),
    htmlReportMb: round(html.length / MB, 2),
    htmlOpenS,
    failures: [
      ...result.stepErrors,
      ...result.expectations.filter((e) => !e.passed).map((e) => `${e.description}: ${e.found}`),
    ],
  };
}

function print(f: MonthFigures): void {
  const out = process.stdout;
  out.write(
    `${f.devices} devices × ${f.days} sim-days: ${f.passed ? 'scenario passed' : 'SCENARIO FAILED'}\n`,
  );
  for (const failure of f.failures.slice(0, 5)) out.write(`  failed: ${failure}\n`);
  out.write(`  wall ${f.wallS} s, CPU ${f.cpuS} s, ${f.checkIns} check-ins handled\n`);
  out.write(
    `  CPU per check-in: ${f.cpuUsPerCheckIn} µs; from sim day 1 to the end of sim time (enrolled, not yet stopped; ${f.steadyCheckIns} check-ins): ${f.steadyCpuUsPerCheckIn} µs, of which GC pauses ${f.steadyGcUsPerCheckIn} µs; the main thread's own ${f.steadyMainThreadUsPerCheckIn ?? '?'} µs (the rest: V8's helper threads); stopping the fleet ${f.stopCpuS} s CPU\n`,
  );
  const spans = [
    f.weekCpuUsPerCheckIn === null ? null : `day 1 to 7, ${f.weekCpuUsPerCheckIn} µs per check-in`,
    f.laterCpuUsPerCheckIn === null ? null : `day 7 to the end, ${f.laterCpuUsPerCheckIn} µs`,
    f.settledCpuUsPerCheckIn === null
      ? null
      : `day ${SETTLED_DAY} to the end, ${f.settledCpuUsPerCheckIn} µs (the main thread's own ${f.settledMainUsPerCheckIn ?? '?'} µs)`,
  ].filter((x) => x !== null);
  if (spans.length > 0) out.write(`  by span of sim time: ${spans.join('; ')}\n`);
  out.write(
    `  peak RSS ${f.peakRssMb} MB (${f.peakRssKbPerDevice} KB/device); heap after GC ${f.heapAfterGcKbPerDevice} KB/device\n`,
  );
  // Every fifth sim day and the last.
  const days = f.samples.filter((s, i, all) => s.simDay % 5 === 0 || i === all.length - 1);
  out.write(
    `  memory over sim time (sim day: RSS / heap after the day's last full GC / heap held / external, MB): ${days.map((s) => `${s.simDay}: ${s.rssMb}/${s.heapAfterGcMb ?? '–'}/${s.heapTotalMb}/${s.externalMb}`).join(', ')}\n`,
  );
  out.write(
    `  reports: JSON ${f.jsonReportS} s (${f.jsonReportMb} MB), HTML ${f.htmlReportS} s (${f.htmlReportMb} MB); the HTML ${f.htmlOpenS === null ? 'not opened (no chromium here, or a counted run)' : `opened in chromium in ${f.htmlOpenS} s`}\n`,
  );
}

/**
 * Node's arguments for this script in a child at a fleet's size (with the young generation
 * `fleetsim run` gives it), its figures printed as JSON: a month with `--days D`, the floor with
 * `--floor --rounds R`.
 */
const childArgs = (devices: number, ...what: string[]): string[] => [
  ...process.execArgv,
  ...youngGenerationOf(devices),
  import.meta.filename,
  '--devices',
  String(devices),
  ...what,
  '--json',
];

/** One run in a child process of its own, so each size's peak RSS is its own. */
function runChild(devices: number, days: number): MonthFigures | null {
  const child = spawnSync(process.execPath, childArgs(devices, '--days', String(days)), {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * MB,
  });
  if (child.status !== 0) {
    process.stdout.write(`${devices} × ${days}: the run failed (exit ${child.status})\n`);
    return null;
  }
  const figures = lastJson<MonthFigures>(child.stdout, `${devices} × ${days}`);
  if (figures) print(figures);
  return figures;
}

/** What is wrong with `--callgrind FILE` as given, or null. */
function callgrindMisuse(file: string, devices: string | undefined, days: string | undefined): string | null {
  const fileProblem = callgrindFileMisuse(file);
  if (fileProblem) return fileProblem;
  if (!(devices || days)) return '--callgrind counts one run: give it --devices or --days';
  if (Number(days ?? 30) < 2)
    return '--callgrind counts the last sim day of the run: give it --days 2 or more';
  const other = ['--ballast', '--profile', '--alloc-profile', '--promoted-profile', '--heap-snapshot'].find(
    (f) => process.argv.includes(f),
  );
  return other ? `--callgrind counts the run as it is: not with ${other}` : null;
}

/** `--callgrind FILE`: the run in a child under valgrind, its figures, then its counts; the exit status. */
function countedRun(devices: number, days: number, file: string): number {
  process.stdout.write(
    `${machineLine()}\n${devices} × ${days}: under valgrind's callgrind, a few minutes per sim day\n`,
  );
  const counted = countedChild(file, childArgs(devices, '--days', String(days)));
  if ('error' in counted) {
    process.stderr.write(`month: ${counted.error}\n`);
    return 1;
  }
  const { threads } = counted;
  const figures = lastJson<MonthFigures>(counted.lastLine, `${devices} × ${days}`);
  if (!figures) return 1;
  print(figures);
  const n = figures.countedCheckIns;
  if (n === 0) {
    process.stderr.write(
      'month: no check-in was handled in the counted span, so there is nothing to divide by\n',
    );
    return 1;
  }
  process.stdout.write(
    `  counted by callgrind from sim day ${countedFromDay(days)} to the end (${n} check-ins; a 32 MB last-level cache modelled), per check-in:\n    the main thread: ${describeCounts(threads[0]!, n)}\n    all ${threads.length} threads (V8's compiler and collector too): ${describeCounts(sumCounts(threads), n)}\n`,
  );
  process.stdout.write(describeMainThreadParts(counted, n, 'check-in'));
  return 0;
}

/** The young generation `fleetsim run` takes for this fleet (cli/young-generation.ts), unless node was given one. */
const youngGenerationOf = (devices: number): string[] => {
  const wanted = youngGenerationFlagFor(devices);
  return wanted && !semiSpaceGiven() ? [wanted] : [];
};

/**
 * `--ballast MB`: that much of small live objects, made before the fleet and kept to its end. A
 * control for whether a check-in's cost follows the heap's size or the fleet's: 10,000 devices with
 * 1,000 MB of it have the heap of 50,000. (The heap and RSS figures then include it.)
 */
function ballast(mb: number): { n: number }[] {
  const kept: { n: number }[] = [];
  // About 32 bytes an object on 64-bit V8, and 8 more for the array's slot.
  for (let i = 0; i < (mb * MB) / 40; i++) kept.push({ n: i });
  return kept;
}

const flag = (name: string): string | undefined => argValue(process.argv, name);

/**
 * Each run of a size set beside the floor run after it (the pairs where both gave figures), from
 * sim day 3: fleetsim's CPU per check-in, the floor's per message, the difference (fleetsim's own,
 * pair by pair), and each one's GC pauses; or null when no pair has both.
 */
export function besideTheFloor(
  pairs: readonly { month: MonthFigures | null; floor: FloorFigures | null }[],
): string | null {
  const both = pairs.filter(
    (p): p is { month: MonthFigures & { settledCpuUsPerCheckIn: number }; floor: FloorFigures } =>
      p.month !== null && p.month.settledCpuUsPerCheckIn !== null && p.floor !== null,
  );
  if (both.length === 0) return null;
  const us = (xs: number[]) => spread(xs, 'µs');
  return `from sim day ${SETTLED_DAY}: ${us(both.map((p) => p.month.settledCpuUsPerCheckIn))} (GC pauses ${us(both.map((p) => p.month.settledGcUsPerCheckIn ?? 0))}); the floor (aedes + mqtt.js alone): ${us(both.map((p) => p.floor.cpuUsPerMessage))} (GC pauses ${us(both.map((p) => p.floor.gcUsPerMessage))}); fleetsim's own above it: ${us(both.map((p) => round(p.month.settledCpuUsPerCheckIn - p.floor.cpuUsPerMessage)))}`;
}

/** Figures of repeated runs: the median, and [lowest–highest] when there is more than one. */
function spread(values: readonly number[], unit: string): string {
  const xs = [...values].sort((a, b) => a - b);
  const mid = xs.length / 2;
  const median = xs.length % 2 === 1 ? xs[Math.floor(mid)]! : round((xs[mid - 1]! + xs[mid]!) / 2, 1);
  return xs.length > 1 ? `${median} ${unit} [${xs[0]}–${xs.at(-1)}]` : `${median} ${unit}`;
}

/** What the floor's command line (month-floor-cli.ts) borrows from this script. */
const floorContext: FloorCliContext = { childArgs, machineLine };

/** The machine's readings (yardstick.ts), taken in a process of its own: its 64 MB stay out of a run's peak. */
function machineLine(): string {
  const child = spawnSync(process.execPath, [...process.execArgv, import.meta.filename, '--yardstick'], {
    encoding: 'utf8',
  });
  return child.status === 0 ? child.stdout.trim() : 'this machine: not measured (the yardstick failed)';
}

if (process.argv[1] === import.meta.filename && process.argv.includes('--yardstick')) {
  process.stdout.write(`${describeMachine(measureMachine())}\n`);
} else if (process.argv[1] === import.meta.filename) {
  // What `fleetsim run` sets for itself (cli/main.ts), so the figures are its figures.
  leanHeap('run');
  const devices = flag('--devices');
  const days = flag('--days');
  const repeatText = flag('--repeat') ?? '1';
  const repeat = Number(repeatText);
  if (!/^\d+$/.test(repeatText) || repeat < 1) {
    process.stderr.write(`month: --repeat takes a whole number of runs, 1 or more (got '${repeatText}')\n`);
    process.exit(2);
  }
  if ((devices || days) && repeat > 1) {
    process.stderr.write(
      'month: --repeat is for the table of sizes; a single run (--devices, --days) runs once\n',
    );
    process.exit(2);
  }
  const ballastText = flag('--ballast') ?? '0';
  if (!/^\d+$/.test(ballastText) || (Number(ballastText) > 0 && !(devices || days))) {
    process.stderr.write(
      `month: --ballast takes whole MB, with --devices or --days (got '${ballastText}')\n`,
    );
    process.exit(2);
  }
  const callgrindTo = flag('--callgrind');
  if (process.argv.includes('--floor')) process.exit(await floorCli(floorContext, process.argv));
  const callgrindProblem = callgrindTo === undefined ? null : callgrindMisuse(callgrindTo, devices, days);
  if (callgrindProblem) {
    process.stderr.write(`month: ${callgrindProblem}\n`);
    process.exit(2);
  }
  if (callgrindTo !== undefined && !underCallgrind()) {
    process.exit(countedRun(Number(devices ?? 10_000), Number(days ?? 30), callgrindTo));
  } else if (devices || days) {
    // A fleet `fleetsim run` would run in a process started again with a bigger young generation.
    const again = underCallgrind() ? [] : youngGenerationOf(Number(devices ?? 10_000));
    if (again.length > 0)
      process.exit(
        spawnSync(process.execPath, [...process.execArgv, ...again, ...process.argv.slice(1)], {
          stdio: 'inherit',
        }).status ?? 1,
      );
    if (!process.argv.includes('--json')) process.stdout.write(`${machineLine()}\n`);
    const kept = ballast(Number(ballastText));
    const cpuTo = flag('--profile');
    const allocTo = flag('--alloc-profile');
    const promotedTo = flag('--promoted-profile');
    const profile = cpuTo
      ? { kind: 'cpu' as const, file: cpuTo }
      : allocTo
        ? { kind: 'alloc' as const, file: allocTo }
        : promotedTo
          ? { kind: 'promoted' as const, file: promotedTo }
          : undefined;
    const f = await runOnce(Number(devices ?? 10_000), Number(days ?? 30), profile, flag('--heap-snapshot'));
    if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify(f)}\n`);
    else print(f);
    if (kept.length > 0)
      process.stdout.write(`  with ${ballastText} MB of ballast kept live (${kept.length} objects)\n`);
  } else {
    const sizes: [number, number][] = [
      [1_000, 30],
      [10_000, 30],
    ];
    // 10,000 over the same 7 days as 50,000: the same span of the schedule, to compare like for like.
    if (process.argv.includes('--big')) sizes.push([10_000, 7], [50_000, 7]);
    // At the start and at the end: a shared machine's memory may be slower for part of the runs.
    const machineBefore = machineLine();
    // Each run of a size followed by the floor at that size, so both meet the machine as it was.
    const rows = sizes.map(([n, d]) => ({
      devices: n,
      days: d,
      pairs: Array.from({ length: repeat }, () => ({
        month: runChild(n, d),
        floor: floorChild(floorContext, n, floorRounds(n, false)),
      })),
    }));
    process.stdout.write(
      `\n${machineBefore} (before the runs)\n${machineLine()} (after)\n\ncost per check-in by fleet size${repeat > 1 ? ` (each figure the median of its size's runs, [lowest–highest]; each column on its own)` : ''}:\n`,
    );
    for (const { devices: n, days: d, pairs } of rows) {
      const runs = pairs.map((p) => p.month).filter((f): f is MonthFigures => f !== null);
      if (runs.length === 0) continue;
      const of = (pick: (f: MonthFigures) => number, unit: string) => spread(runs.map(pick), unit);
      const counted = repeat > 1 ? ` (${runs.length} of ${repeat} runs)` : '';
      // Every size over the same span of its schedule: sim day 1 to 7.
      const week = runs.every((f) => f.weekCpuUsPerCheckIn !== null)
        ? `, ${of((f) => f.weekCpuUsPerCheckIn!, 'µs')} over sim days 1–7`
        : '';
      process.stdout.write(
        `  ${String(n).padStart(6)} × ${d} d${counted}: ${of((f) => f.cpuUsPerCheckIn, 'µs')} CPU/check-in (${of((f) => f.steadyCpuUsPerCheckIn, 'µs')} in the steady state, ${of((f) => f.steadyGcUsPerCheckIn, 'µs')} of it GC pauses${week}), ${of((f) => f.peakRssKbPerDevice, 'KB/device')} peak RSS, wall ${of((f) => f.wallS, 's')}\n`,
      );
      const beside = besideTheFloor(pairs);
      if (beside) process.stdout.write(`           ${beside}\n`);
    }
  }
}
