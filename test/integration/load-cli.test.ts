import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../../cli/errors.ts';
import type { LoadReport } from '../../load/report-schema.ts';
import { loadReportJsonSchema } from '../../load/report-schema.ts';
import { freePort, runCli } from '../helpers/processes.ts';

/**
 * `fleetsim load` through the real binary: a small run (service, broker and two agent processes,
 * devices over TCP) whose report must add up, and requests refused before anything starts.
 */
let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fleetsim-load-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const committedSchema = () => JSON.parse(readFileSync('load/report.schema.json', 'utf8')) as object;

describe('fleetsim load: a small run', () => {
  let report: LoadReport;
  let run: { code: number | null; stdout: string; stderr: string };
  beforeAll(async () => {
    run = await runCli([
      'load',
      '--devices',
      '240',
      '--processes',
      '2',
      '--speed',
      '60',
      '--duration',
      '10m',
      '--action',
      'wipe 10% at 4m',
      '--action',
      'retire 12 at 4m',
      '--action',
      'sync all at 5m',
      '--slo',
      'enrolled == 100%',
      '--slo',
      'p99(wipe.propagation) < 15m',
      '--slo',
      'p99(wipe.propagation) < 1ms',
      '--slo',
      'connect.rate >= 1000000/s',
      '--slo',
      'p99(checkIn.lateness) < 1m',
      // Every check-in is handled at least one modeled hop (50 ms) after it was sent, so after it was due.
      '--slo',
      'p50(checkIn.lateness) >= 50ms',
      '--slo',
      'max(checkIn.lateness) < 50ms',
      '--slo',
      'messages.rate > 0/s',
      '--report',
      join(dir, 'run.json'),
      '--html',
      join(dir, 'run.html'),
    ]);
    report = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as LoadReport;
  }, 120_000);

  it('exits 1 when an objective did not hold, and says which', () => {
    expect(run.code, run.stderr).toBe(EXIT_CODES.expectationFailed.code);
    expect(run.stdout).toContain('FAIL  p99(wipe.propagation) < 1ms');
    expect(run.stdout).toContain('PASS  p99(wipe.propagation) < 15m');
    expect(run.stdout).toMatch(/verdict: fail\n$/);
  });

  it('the JSON report validates against the committed schema, which is the generated one', () => {
    expect(committedSchema()).toEqual(JSON.parse(JSON.stringify(loadReportJsonSchema())));
    const validate = new Ajv({ allErrors: true, strict: false }).compile(committedSchema());
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
  });

  it('counts add up: every device enrolled, every targeted action acknowledged, refused, coalesced or pending', () => {
    const f = report.figures;
    expect(f.devices).toBe(240);
    expect(f.enrolled).toBe(240);
    expect(report.plan.perProcess).toEqual([120, 120]);
    expect(f.targeted).toBe(f.acknowledged + f.refused + f.pending);
    expect(report.actions.reduce((n, a) => n + a.targeted, 0)).toBe(f.targeted + f.coalesced);
    expect(report.actions.map((a) => a.text)).toEqual([
      'wipe 10% at 4m',
      'retire 12 at 4m',
      'sync all at 5m',
    ]);
    // Of the devices managed when each fired (on a busy machine some may still be enrolling at 4m).
    const [wipe, retire] = report.actions;
    expect(wipe!.managed).toBeGreaterThan(0);
    expect(wipe!.targeted).toBe(Math.round(wipe!.managed / 10));
    expect(retire!.targeted).toBe(Math.min(12, retire!.managed));
    for (const key of ['targeted', 'acknowledged', 'refused', 'done', 'failed'] as const)
      expect(
        report.platforms.reduce((n, p) => n + p[key], 0),
        key,
      ).toBe(f[key]);
    expect(report.platforms.reduce((n, p) => n + p.enrolled, 0)).toBe(f.enrolled);
    expect(f.acknowledged).toBe(report.propagation.all!.count);
    expect(f.acknowledged).toBeGreaterThan(0);
  });

  it('percentiles are ordered, and the per-minute buckets hold every acknowledgement', () => {
    for (const [action, p] of Object.entries(report.propagation)) {
      expect(p.p50 <= p.p95 && p.p95 <= p.p99 && p.p99 <= p.max, action).toBe(true);
      expect(
        report.propagationByMinute[action]!.reduce((a, b) => a + b, 0),
        action,
      ).toBe(p.count);
    }
    const all = report.propagation.all!;
    const parts = ['wipe', 'retire', 'sync'].reduce((n, a) => n + (report.propagation[a]?.count ?? 0), 0);
    expect(parts).toBe(all.count);
    expect(report.enrollLatency.count).toBe(240);
  });

  it('each verdict agrees with the figures it names', () => {
    const byText = Object.fromEntries(report.slos.map((s) => [s.slo, s]));
    expect(byText['enrolled == 100%']).toEqual({ slo: 'enrolled == 100%', holds: true, found: '100%' });
    expect(byText['p99(wipe.propagation) < 15m']!.holds).toBe(report.propagation.wipe!.p99 < 900_000);
    expect(byText['p99(wipe.propagation) < 1ms']!.holds).toBe(false);
    expect(byText['connect.rate >= 1000000/s']!.holds).toBe(false);
    expect(byText['p99(checkIn.lateness) < 1m']!.holds).toBe(report.checkInLateness.p99 < 60_000);
    expect(byText['p50(checkIn.lateness) >= 50ms']!.holds).toBe(true);
    expect(byText['max(checkIn.lateness) < 50ms']!.holds).toBe(false);
    expect(byText['messages.rate > 0/s']!.holds).toBe(true);
    expect(report.verdict).toBe('fail');
  });

  it('check-in lateness: every check-in measured from when it was due, percentiles ordered', () => {
    const l = report.checkInLateness;
    expect(l.count).toBe(report.figures.checkIns);
    expect(l.p50 >= 50 && l.p50 <= l.p95 && l.p95 <= l.p99 && l.p99 <= l.max).toBe(true);
    expect(report.histograms['checkIn.lateness']).toBeTruthy();
  });

  it('broker messages: a total and a rate for the run, and a rate in the timeline', () => {
    const f = report.figures;
    // Every check-in is a PUBLISH the broker routed, and so is each command, acknowledgement and result.
    expect(f.brokerMessages).toBeGreaterThan(f.checkIns + f.delivered);
    expect(f.brokerMessageRate).toBeCloseTo(f.brokerMessages! / (report.wallMs / 1000), 6);
    const rates = report.timeline.map((t) => t.brokerMessagesPerSecond);
    expect(rates.every((r) => r === null || r >= 0)).toBe(true);
    expect(Math.max(...rates.map((r) => r ?? 0))).toBeGreaterThan(0);
    expect(run.stdout).toMatch(/broker \d+ messages, \d+\/s/);
  });

  it('the report names the command, seed, versions, machine and every process', () => {
    expect(report.command.slice(0, 3)).toEqual(['load', '--devices', '240']);
    expect(report.seed).toBe('load');
    expect(report.versions.node).toBe(process.version);
    expect(report.machine.descriptorLimit).toBeGreaterThan(0);
    expect(report.processes.map((p) => p.name).sort()).toEqual([
      'agents#1',
      'agents#2',
      'generator',
      'service',
    ]);
    const html = readFileSync(join(dir, 'run.html'), 'utf8');
    expect(html).toContain('15 min');
    expect(html).not.toMatch(/<script|src="http/);
  });

  it('against its own report as the baseline, with all objectives holding, it exits 0', async () => {
    const again = await runCli([
      'load',
      '--devices',
      '60',
      '--speed',
      '60',
      '--duration',
      '4m',
      '--slo',
      'enrolled == 100%',
      '--baseline',
      join(dir, 'run.json'),
      '--regression-threshold',
      '1000000',
      '--report',
      join(dir, 'again.json'),
    ]);
    expect(again.code, again.stdout + again.stderr).toBe(EXIT_CODES.ok.code);
    const r = JSON.parse(readFileSync(join(dir, 'again.json'), 'utf8')) as LoadReport;
    expect(r.baseline).toMatchObject({ thresholdPercent: 1000000, regressions: [] });
    expect(r.verdict).toBe('pass');
  }, 120_000);
});

describe('fleetsim load refuses before anything starts', () => {
  async function refused(args: string[], code: number, message: RegExp): Promise<void> {
    const r = await runCli(['load', ...args]);
    expect(r.code, r.stderr).toBe(code);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')[0]).toMatch(/^fleetsim: /);
    expect(r.stdout).toBe(''); // nothing started, nothing printed
  }
  const USAGE = EXIT_CODES.usage.code;
  const ENVIRONMENT = EXIT_CODES.environment.code;

  it('zero devices, or none given', async () => {
    await refused(['--devices', '0'], USAGE, /--devices must be a whole number from 1 to/);
    await refused([], USAGE, /--devices is required/);
  });

  it('a negative ramp', async () => {
    await refused(
      ['--devices', '10', '--ramp', '-5/s'],
      USAGE,
      /--ramp must be a rate above 0 such as 500\/s, got "-5\/s"/,
    );
  });

  it('a malformed --action or --slo', async () => {
    await refused(
      ['--devices', '10', '--action', 'wipe ten at 5m'],
      USAGE,
      /--action "wipe ten at 5m": write it like/,
    );
    await refused(
      ['--devices', '10', '--slo', 'p99(wipe.propagation) < soon'],
      USAGE,
      /--slo "p99\(wipe.propagation\) < soon": expected a duration/,
    );
  });

  it('more devices than the descriptor limit lets the embedded service hold', async () => {
    await refused(
      ['--devices', '1000000'],
      ENVIRONMENT,
      /--devices 1000000 cannot fit: .*descriptor limit is \d+ \(ulimit -n\)/,
    );
  });

  it('an unreachable target', async () => {
    const port = await freePort();
    await refused(
      [
        '--devices',
        '10',
        '--target',
        `mqtt://127.0.0.1:${port}`,
        '--api',
        `http://127.0.0.1:${port}`,
        '--token',
        't',
        '--enrollment-token',
        'e',
      ],
      ENVIRONMENT,
      new RegExp(`cannot reach the broker at mqtt://127.0.0.1:${port}: ECONNREFUSED \\(check --target\\)`),
    );
  });
});
