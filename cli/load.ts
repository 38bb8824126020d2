import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { BaselineError, compareRuns, readBaseline } from '../load/baseline.ts';
import { htmlReport } from '../load/html-report.ts';
import { buildPlan, type LoadOptions, PlanError } from '../load/plan.ts';
import { buildReport } from '../load/report.ts';
import type { LoadReport } from '../load/report-schema.ts';
import { runLoad } from '../load/run-load.ts';
import { formatMs } from '../load/slo.ts';
import { CliError } from './errors.ts';

/**
 * `fleetsim load`: a fleet over real TCP in K agent processes against the embedded service (in a
 * process of its own) or a remote one, scripted admin load, live progress, SLO verdicts and
 * reports. Returns true when every objective held and no figure regressed against the baseline.
 */
export async function load(options: LoadOptions & { worker?: string }, command: string[]): Promise<boolean> {
  if (options.worker === 'agents') {
    const { runAgentsWorker } = await import('../load/agents-worker.ts');
    await runAgentsWorker();
    return true;
  }
  if (options.worker === 'service') {
    const { runServiceWorker } = await import('../load/service-worker.ts');
    await runServiceWorker();
    return true;
  }
  let plan: ReturnType<typeof buildPlan>;
  let baseline: LoadReport | null;
  try {
    plan = buildPlan(options);
    baseline = plan.baseline ? readBaseline(plan.baseline) : null;
  } catch (e) {
    if (e instanceof PlanError) throw new CliError(e.message, e.kind);
    if (e instanceof BaselineError) throw new CliError(e.message);
    throw e;
  }
  // Said once, before anything starts: what of --script the run leaves out.
  for (const line of plan.skipped) process.stderr.write(`fleetsim load: skipped ${line}\n`);
  const startedAt = new Date().toISOString();
  const say = (line: string) => process.stdout.write(`${line}\n`);
  const banner = `fleetsim load: ${plan.devices} devices in ${plan.processes.processes} agent processes (${plan.processes.perProcess.join(', ')}) → ${plan.target.kind === 'embedded' ? 'the embedded service' : plan.target.broker}, ${formatMs(plan.durationMs)} sim, seed ${plan.seed}`;
  let run: Awaited<ReturnType<typeof runLoad>>;
  try {
    run = await runLoad(
      plan,
      {
        write: (t) => process.stdout.write(t),
        isTTY: process.stdout.isTTY === true,
        columns: process.stdout.columns ?? 120,
      },
      banner,
    );
  } catch (e) {
    if (e instanceof PlanError) throw new CliError(e.message, e.kind);
    throw e;
  }
  const report = buildReport(plan, run, { command, startedAt });
  if (baseline && plan.baseline) {
    const regressions = compareRuns(baseline, report, plan.regressionThreshold);
    report.baseline = { file: plan.baseline, thresholdPercent: plan.regressionThreshold, regressions };
    if (regressions.length > 0) report.verdict = 'fail';
  }
  for (const [path, text] of [
    [plan.reportPath, `${JSON.stringify(report, null, 2)}\n`],
    [plan.htmlPath, htmlReport(report)],
  ] as const) {
    if (!path) continue;
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }
  for (const line of summaryLines(report)) say(line);
  return report.verdict === 'pass';
}

function summaryLines(r: LoadReport): string[] {
  const f = r.figures;
  const all = r.propagation.all!;
  return [
    `enrolled ${f.enrolled}/${f.devices} at ${Math.round(f.connectRate)}/s, ${f.removed} removed, ${f.connected} connected at the end; ${f.checkIns} check-ins (lateness p50 ${formatMs(r.checkInLateness.p50)} p99 ${formatMs(r.checkInLateness.p99)} max ${formatMs(r.checkInLateness.max)} sim), ${f.delivered} commands delivered${f.brokerMessageRate === null ? '' : `; broker ${f.brokerMessages} messages, ${Math.round(f.brokerMessageRate)}/s`}`,
    `actions: ${f.targeted} targeted, ${f.acknowledged} acknowledged, ${f.pending} pending, ${f.refused} refused, ${f.failed} failed; propagation p50 ${formatMs(all.p50)} p95 ${formatMs(all.p95)} p99 ${formatMs(all.p99)} max ${formatMs(all.max)} (sim)`,
    `errors: ${f.errors}${
      Object.keys(r.errors).length
        ? ` (${Object.entries(r.errors)
            .slice(0, 5)
            .map(([k, v]) => `${k} ×${v}`)
            .join('; ')})`
        : ''
    }`,
    ...r.processes.map(
      (p) =>
        `  ${p.name}: peak RSS ${Math.round(p.rssPeakBytes / 1e6)} MB${p.bytesPerDevice === null ? '' : ` (${Math.round(p.bytesPerDevice / 1000)} KB/device)`}, CPU mean ${Math.round(p.cpuMean * 100)}%, event-loop delay p99 up to ${Math.round(p.eventLoopDelayP99MaxMs)} ms`,
    ),
    ...r.warnings.map((w) => `warning: ${w}`),
    ...r.slos.map((s) => `${s.holds ? 'PASS' : 'FAIL'}  ${s.slo}  (found ${s.found})`),
    ...(r.baseline
      ? r.baseline.regressions.map(
          (g) => `REGRESSION  ${g.figure}: ${g.before} → ${g.after} (${g.changePercent}%)`,
        )
      : []),
    `verdict: ${r.verdict}`,
  ];
}
