import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../../cli/errors.ts';
import type { LoadReport } from '../../load/report-schema.ts';
import { runCli } from '../helpers/processes.ts';

/**
 * `fleetsim load --script scenario.yaml` through the real binary: a scenario's admin steps drive
 * the run at their sim times (merged with --action), what load cannot send is listed once, and the
 * connected figure counts the devices whose own channel is open: enrolled minus removed.
 */
let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fleetsim-load-script-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SCENARIO = `name: load script
fleet:
  - { name: phones, platform: ios, count: 30 }
  - { name: macs, platform: macos, count: 10 }
timeline:
  - { at: 2m, id: retire-macs, do: retire, target: { cohort: macs } }
  - { at: 3m, do: power, target: { cohort: phones, index: 0 }, on: false }
  - { at: 3m, do: sync, target: all }
  - { at: 4m, do: delete, target: { cohort: phones, index: 1 } }
  - { at: 4m, do: freshStart, target: { cohort: phones }, keepUserData: false }
expect:
  - { expect: acknowledged, of: retire-macs, within: 15m }
`;

describe('fleetsim load --script: a scenario timeline as the admin script', () => {
  let report: LoadReport;
  let run: { code: number | null; stdout: string; stderr: string };
  beforeAll(async () => {
    writeFileSync(join(dir, 'script.yaml'), SCENARIO);
    const out = join(dir, 'script.json');
    const flags = 'load --devices 200 --processes 2 --speed 60 --duration 8m'.split(' ');
    run = await runCli([
      ...flags,
      '--script',
      join(dir, 'script.yaml'),
      '--action',
      'sync 50% at 5m',
      '--report',
      out,
    ]);
    report = JSON.parse(readFileSync(out, 'utf8')) as LoadReport;
  }, 120_000);

  it('sends the admin steps at their times, merged with --action by time', () => {
    expect(run.code, run.stderr).toBe(EXIT_CODES.ok.code);
    expect(report.actions.map((a) => [a.action, a.atMs])).toEqual([
      ['retire', 2 * 60_000],
      ['sync', 3 * 60_000],
      ['delete', 4 * 60_000],
      ['sync', 5 * 60_000],
    ]);
    expect(report.actions.map((a) => a.text)).toEqual([
      'retire 25% of the fleet at 2m (script.yaml timeline 1, retire-macs)',
      'sync all at 3m (script.yaml timeline 3)',
      'delete 1 at 4m (script.yaml timeline 4)',
      'sync 50% at 5m',
    ]);
  });

  it('maps targets to the load fleet: a cohort to its share, all to every managed device, one device to 1', () => {
    const [retire, syncAll, del, syncHalf] = report.actions;
    expect(retire!.managed).toBeGreaterThan(0);
    expect(retire!.targeted).toBe(Math.round(retire!.managed / 4)); // macs: 10 of the scenario's 40
    expect(syncAll!.targeted).toBe(syncAll!.managed);
    expect(del!.targeted).toBe(1);
    expect(syncHalf!.targeted).toBe(Math.round(syncHalf!.managed / 2));
    expect(retire!.acknowledged).toBeGreaterThan(0);
    expect(syncAll!.acknowledged).toBeGreaterThan(0);
    expect(report.propagation.retire!.count).toBe(retire!.acknowledged);
  });

  it('lists the steps and expectations it leaves out, once each, on stderr', () => {
    const skipped = run.stderr.split('\n').filter((l) => l.startsWith('fleetsim load: skipped'));
    expect(skipped).toEqual([
      'fleetsim load: skipped script.yaml timeline 2: power at 3m: a power cut or power-on happens on the device, which load does not script',
      "fleetsim load: skipped script.yaml timeline 5: freshStart at 4m: Fresh Start is not among Graph's bulk executeAction actions",
      "fleetsim load: skipped script.yaml: 1 expectation: load judges a run by --slo, not by a scenario's expectations",
    ]);
  });

  it('connected counts open channels: every enrolled device, less the ones the service removed', () => {
    const f = report.figures;
    expect(f.enrolled).toBe(200);
    expect(f.removed).toBeGreaterThan(0); // the retired ones and the deleted one
    // The service drops a removed device's connection a moment after the removal (its result's
    // acknowledgement goes first): a removal in the run's last moment is counted while its device
    // is still connected. Fewer connected than that would be a device lost without being removed.
    const lingering = f.connected - (f.enrolled - f.removed);
    expect(lingering).toBeGreaterThanOrEqual(0);
    expect(lingering).toBeLessThanOrEqual(2);
    const last = report.timeline.at(-1)!;
    expect(last.connected).toBe(f.connected);
  });
});

describe('fleetsim load --script refuses a bad file before anything starts', () => {
  async function refused(text: string, message: RegExp): Promise<void> {
    const file = join(dir, `bad-${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(file, text);
    const r = await runCli(['load', '--devices', '10', '--script', file]);
    expect(r.code, r.stderr).toBe(EXIT_CODES.usage.code);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr.trim()).toMatch(message);
    expect(r.stdout).toBe('');
  }

  it('a file the scenario loader refuses: its first problem, with line and field', async () => {
    await refused(
      'name: x\nfleet: [{ name: a, platform: ios, count: 2 }]\ntimeline:\n  - { at: 5q, do: wipe, target: all }\nexpect: []\n',
      /^fleetsim: --script .*bad-\w+\.yaml:4:\d+: timeline\.0\.at: expected a duration .*given "5q" \(and 1 more problem\)$/,
    );
  });

  it('a file with no step load can send', async () => {
    await refused(
      'name: x\nfleet: [{ name: a, platform: ios, count: 2 }]\ntimeline:\n  - { at: 5m, do: power, target: all, on: false }\nexpect: [{ expect: record, at: 6m, target: all, listed: true }]\n',
      /^fleetsim: --script .*: no step of its timeline is an admin action load can send \(wipe, retire, sync, delete\); it has power$/,
    );
  });

  it('a file that is not there', async () => {
    const r = await runCli(['load', '--devices', '10', '--script', join(dir, 'none.yaml')]);
    expect(r.code).toBe(EXIT_CODES.usage.code);
    expect(r.stderr).toMatch(/^fleetsim: --script: cannot read ".*none\.yaml" \(ENOENT\)\n$/);
    expect(r.stdout).toBe('');
  });
});
