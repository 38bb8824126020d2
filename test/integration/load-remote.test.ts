import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Serving } from '../../cli/serve.ts';
import type { LoadReport } from '../../load/report-schema.ts';
import { runCli } from '../helpers/processes.ts';
import { serveOnFreePorts } from '../helpers/serving.ts';

/**
 * `fleetsim load` against a service elsewhere (here one started by the test, on the scaled clock):
 * broker messages come from its GET /sim/stats, check-in lateness from its event stream.
 */
let dir = '';
let serving: Serving;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fleetsim-load-remote-'));
  serving = await serveOnFreePorts({ seed: 'remote', clock: 'scaled', speed: 60 });
});
afterAll(async () => {
  await serving?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('fleetsim load --target a remote service', () => {
  it('reports its broker messages/s and the check-ins’ lateness', async () => {
    const out = join(dir, 'remote.json');
    const { server } = serving.emulator;
    const r = await runCli([
      ...'load --devices 60 --processes 1 --duration 5m --action'.split(' '),
      'sync all at 1m',
      ...['--target', server.mqttUrl!, '--api', serving.httpUrl, '--token', serving.token],
      ...['--enrollment-token', server.enrollmentToken, '--report', out],
    ]);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(readFileSync(out, 'utf8')) as LoadReport;
    const f = report.figures;
    expect(report.target.kind).toBe('remote');
    expect(f.enrolled).toBe(60);
    expect(f.connected).toBe(60);
    expect(f.brokerMessages).toBeGreaterThan(f.checkIns + f.delivered);
    expect(f.brokerMessageRate).toBeGreaterThan(0);
    expect(Math.max(...report.timeline.map((t) => t.brokerMessagesPerSecond ?? 0))).toBeGreaterThan(0);
    expect(report.checkInLateness.count).toBe(f.checkIns);
    expect(report.checkInLateness.p50).toBeGreaterThanOrEqual(50);
  }, 120_000);
});
