import { describe, expect, it } from 'vitest';
import { FLEET_PRESETS } from '../../agent/fleet/fleet-file.ts';
import { compareRuns } from '../../load/baseline.ts';
import { descriptorLimit, planProcesses } from '../../load/capacity.ts';
import { scaleMix, splitFleet } from '../../load/fleet-split.ts';
import { buildPlan, type LoadOptions } from '../../load/plan.ts';
import type { LoadReport } from '../../load/report-schema.ts';

const options = (o: Partial<LoadOptions>): LoadOptions => ({
  devices: 100,
  mix: { cohorts: FLEET_PRESETS['every-platform']!.cohorts },
  target: 'embedded',
  speed: 60,
  seed: 's',
  action: [],
  slo: [],
  regressionThreshold: 10,
  ...o,
});

describe('fitting a load run to the machine', () => {
  it('reads the soft descriptor limit from /proc/self/limits', () => {
    expect(
      descriptorLimit('Max open files            20000                20000                files\n'),
    ).toBe(20000);
    expect(
      descriptorLimit('Max open files            unlimited            unlimited            files\n'),
    ).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('one process per core, more when the devices need them; their shares differ by at most one', () => {
    expect(
      planProcesses(1001, undefined, { limit: 20000, cores: 2, embeddedService: false }).perProcess,
    ).toEqual([501, 500]);
    const many = planProcesses(50_000, undefined, { limit: 10_256, cores: 2, embeddedService: false });
    expect(many.processes).toBe(5);
    expect(many.perProcess.reduce((a, b) => a + b, 0)).toBe(50_000);
  });

  it('explains a request that cannot fit, naming the limit and what would', () => {
    expect(() =>
      planProcesses(20_000, undefined, { limit: 20_000, cores: 2, embeddedService: true }),
    ).toThrow(
      /--devices 20000 cannot fit: .* the descriptor limit is 20000 \(ulimit -n\), so at most 19744 devices/,
    );
    expect(() => planProcesses(30_000, 1, { limit: 20_000, cores: 2, embeddedService: false })).toThrow(
      /--processes 1 cannot hold 30000 devices: .*give --processes 2 or more/,
    );
    expect(() => planProcesses(3, 4, { limit: 20_000, embeddedService: false })).toThrow(
      /more than --devices 3/,
    );
  });

  it('the mix is scaled to N and every process gets its share of every cohort', () => {
    const cohorts = scaleMix(FLEET_PRESETS['every-platform']!.cohorts, 1000);
    expect(cohorts.reduce((n, c) => n + c.count, 0)).toBe(1000);
    const parts = splitFleet(cohorts, [334, 333, 333]);
    expect(parts.map((p) => p.reduce((n, c) => n + c.count, 0))).toEqual([334, 333, 333]);
    for (const c of cohorts)
      expect(parts.reduce((n, p) => n + (p.find((x) => x.name === c.name)?.count ?? 0), 0)).toBe(c.count);
  });

  it('a plan refuses before anything starts: remote flags on the embedded target, a target without its API', () => {
    expect(() => buildPlan(options({ token: 't' }))).toThrow(/--token is for a remote --target/);
    expect(() => buildPlan(options({ target: 'mqtt://h:1883' }))).toThrow(
      /--target mqtt:\/\/h:1883 needs --api, --token, --enrollment-token/,
    );
    expect(() => buildPlan(options({ target: 'http://h' }))).toThrow(
      /--target must be embedded or mqtt:\/\/host:port/,
    );
    expect(() => buildPlan(options({ duration: '5m', action: ['wipe 1% at 6m'] }))).toThrow(
      /at or after the end of the run/,
    );
    expect(() => buildPlan(options({ devices: undefined }))).toThrow(/--devices is required/);
  });

  it('without --duration it lasts until 15 minutes after the last action', () => {
    const plan = buildPlan(options({ action: ['wipe 10% at 5m'], syncEvery: '4m' }), {
      limit: 20_000,
      cores: 2,
    });
    expect(plan.durationMs).toBe(20 * 60_000);
    expect(plan.actions.map((a) => `${a.action}@${a.atMs / 60_000}`)).toEqual([
      'sync@4',
      'wipe@5',
      'sync@8',
      'sync@12',
      'sync@16',
    ]);
  });
});

describe('--script: a scenario timeline as the admin script', () => {
  it("takes the library's wipe scenario: each cohort's wipe as its share of the fleet, at 3h; 15 minutes after it the run ends", () => {
    const plan = buildPlan(options({ script: 'scenarios/wipe-propagation.yaml' }), {
      limit: 20_000,
      cores: 2,
    });
    expect(plan.actions).toHaveLength(13);
    expect(plan.actions.every((a) => a.action === 'wipe' && a.atMs === 3 * 3_600_000)).toBe(true);
    const shares = plan.actions.map((a) => (a.amount.kind === 'percent' ? a.amount.percent : Number.NaN));
    expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(100, 0); // the cohorts make up the whole fleet
    expect(plan.actions[0]!.text).toMatch(
      /^wipe [\d.]+% of the fleet at 3h \(wipe-propagation\.yaml timeline 1, wipe-all\)$/,
    );
    expect(plan.durationMs).toBe(3 * 3_600_000 + 15 * 60_000);
    expect(plan.skipped).toEqual([
      "wipe-propagation.yaml: 17 expectations: load judges a run by --slo, not by a scenario's expectations",
    ]);
  });

  it('merges with --action by time, and refuses a step past --duration naming it', () => {
    const plan = buildPlan(options({ script: 'scenarios/retire-ios.yaml', action: ['sync all at 5h'] }), {
      limit: 20_000,
      cores: 2,
    });
    expect(plan.actions.map((a) => `${a.action} ${a.atMs / 3_600_000}h`)).toEqual([
      'retire 4h',
      'retire 4h',
      'sync 5h',
    ]);
    expect(plan.skipped.filter((l) => l.includes('network'))).toHaveLength(2);
    expect(() => buildPlan(options({ script: 'scenarios/retire-ios.yaml', duration: '1h' }))).toThrow(
      /^--script "retire 66\.67% of the fleet at 4h \(retire-ios\.yaml timeline 2, retire\)" is at or after the end of the run \(--duration 1h\)$/,
    );
  });
});

describe('--baseline', () => {
  const report = (p99: number, connectRate: number, errors: number) =>
    ({
      propagation: { all: { count: 10, p50: p99 / 2, p95: p99, p99, max: p99 } },
      enrollLatency: { count: 0, p50: 0, p95: 0, p99: 0, max: 0 },
      figures: { connectRate, checkInRate: 1, enrolled: 10, errors },
      processes: [],
    }) as unknown as LoadReport;

  it('flags a figure that got worse beyond the threshold, in its own direction', () => {
    const r = compareRuns(report(1000, 500, 0), report(1200, 400, 3), 10);
    expect(r.map((g) => g.figure)).toEqual([
      'p50(propagation)',
      'p95(propagation)',
      'p99(propagation)',
      'max(propagation)',
      'connect.rate',
      'errors',
    ]);
    expect(r.find((g) => g.figure === 'connect.rate')).toEqual({
      figure: 'connect.rate',
      before: 500,
      after: 400,
      changePercent: -20,
    });
  });

  it('a change within the threshold, or for the better, is not a regression', () => {
    expect(compareRuns(report(1000, 500, 3), report(1090, 600, 0), 10)).toEqual([]);
  });
});
