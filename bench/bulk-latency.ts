/**
 * How another request fares while a 10,000-id bulk action runs (issue 9): the bulk is processed
 * in slices with yields to the event loop, so a GET sent meanwhile is answered between slices.
 *
 *   npx tsx bench/bulk-latency.ts [--devices 2000] [--ids 10000] [--sqlite]
 *
 * `--sqlite` keeps the service's state in SQLite on disk, as `fleetsim serve` does (in a fresh
 * temporary folder); otherwise in memory.
 *
 * Prints the latency of sequential GET /sim/clock requests when idle and while the bulk runs, the
 * bulk's own duration, and the event loop's longest delay during the bulk. A measurement, not a
 * test: nothing here passes or fails.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { type Serving, startServing } from '../cli/serve.ts';

const { values } = parseArgs({
  options: {
    devices: { type: 'string', default: '2000' },
    ids: { type: 'string', default: '10000' },
    sqlite: { type: 'boolean', default: false },
  },
});
// A fresh folder each run: the embedded agents' store must not outlive the service's.
const dataDir = mkdtempSync(join(tmpdir(), 'fleetsim-bulk-latency-'));
process.on('exit', () => rmSync(dataDir, { recursive: true, force: true }));
const deviceCount = Number(values.devices);
const idCount = Number(values.ids);

/** Servers listen below 32768: a random port in 20000–32000, another while one is taken. */
async function start(): Promise<Serving> {
  for (let attempt = 0; ; attempt++) {
    const port = () => 20_000 + Math.floor(Math.random() * 12_000);
    try {
      return await startServing({
        port: port(),
        mqttPort: port(),
        host: '127.0.0.1',
        clock: 'virtual',
        speed: 600,
        seed: 'bench',
        db: values.sqlite ? join(dataDir, 'fleetsim.db') : ':memory:',
        dataDir,
        adminUpn: 'admin@contoso.onmicrosoft.com',
        fleet: { cohorts: [{ platform: 'windows10', count: deviceCount, osVersion: '22H2' }] },
      });
    } catch (e) {
      if ((e as { code?: string }).code !== 'EADDRINUSE' || attempt > 10) throw e;
    }
  }
}

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
const summary = (ms: number[]) => {
  const s = [...ms].sort((a, b) => a - b);
  return `n=${s.length} p50=${quantile(s, 0.5).toFixed(1)} ms p99=${quantile(s, 0.99).toFixed(1)} ms max=${s.at(-1)!.toFixed(1)} ms`;
};

const enrollStarted = performance.now();
const serving = await start();
const headers = { authorization: `Bearer ${serving.token}` };
const ids = serving.emulator.service.listDevices().map((d) => d.id);
console.log(`${ids.length} devices enrolled in ${((performance.now() - enrollStarted) / 1000).toFixed(1)} s`);

async function timedGet(): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(`${serving.httpUrl}/sim/clock`, { headers });
  await res.text();
  return performance.now() - t0;
}

const idle: number[] = [];
for (let i = 0; i < 200; i++) idle.push(await timedGet());
console.log(`GET /sim/clock, idle:           ${summary(idle)}`);

// Every device once, then duplicates and a few unknown ids up to `idCount`, shuffled.
const deviceIds = [...ids];
while (deviceIds.length < idCount - 10) deviceIds.push(ids[deviceIds.length % ids.length]!);
for (let i = 0; i < 10; i++) deviceIds.push(`unknown-${i}`);
for (let i = deviceIds.length - 1; i > 0; i--) {
  const j = Math.floor(Math.random() * (i + 1));
  [deviceIds[i], deviceIds[j]] = [deviceIds[j]!, deviceIds[i]!];
}

const loop = monitorEventLoopDelay({ resolution: 1 });
const during: number[] = [];
let bulkDone = false;
const bulkStarted = performance.now();
loop.enable();
const bulk = fetch(`${serving.httpUrl}/beta/deviceManagement/managedDevices/executeAction`, {
  method: 'POST',
  headers: { ...headers, 'content-type': 'application/json' },
  body: JSON.stringify({ actionName: 'syncDevice', deviceIds }),
}).then(async (res) => {
  const body = (await res.json()) as Record<string, string[]>;
  bulkDone = true;
  return { status: res.status, ms: performance.now() - bulkStarted, body };
});
while (!bulkDone) during.push(await timedGet());
const result = await bulk;
loop.disable();

console.log(
  `bulk executeAction: ${deviceIds.length} ids (${ids.length} distinct devices) → ${result.status} in ${result.ms.toFixed(0)} ms; ` +
    `successful ${result.body.successfulDeviceIds?.length}, notFound ${result.body.notFoundDeviceIds?.length}`,
);
console.log(`GET /sim/clock, during the bulk: ${during.length > 0 ? summary(during) : 'n=0'}`);
console.log(
  `event loop delay during the bulk: max ${(loop.max / 1e6).toFixed(1)} ms, p99 ${(loop.percentile(99) / 1e6).toFixed(1)} ms`,
);
await serving.stop();
