/**
 * `npm run bench -- tcp [--devices N] [--processes K] [--speed S] [--cpu-prof DIR]`: fleetsim over
 * real TCP beside the bare aedes + mqtt.js loop, in one invocation, so every figure is a ratio
 * measured side by side (issue 10). The bare loop first (bench/bare-loop.ts, its own processes),
 * then `fleetsim serve` + K `fleetsim agents` (bench/fleetsim-loop.ts); a table with both, the
 * ratio and the targets. `--cpu-prof DIR` profiles every fleetsim process (a .cpuprofile each);
 * `--heap-snapshot DIR` writes a heap snapshot of the service and of one agents process once
 * memory is measured. `--node-flags=--heap-growing-percent=50` passes flags to node in every
 * fleetsim process (V8's GC settings, to weigh memory against CPU).
 */
import { readdirSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { spawnTs } from '../test/helpers/processes.ts';
import { freeLowPort } from '../tools/ports.ts';
import type { BareFigures } from './bare-loop.ts';
import { runFleetsim } from './fleetsim-loop.ts';
import { descriptorProblem, openFilesLimit } from './tcp-plan.ts';
import { renderTable } from './tcp-table.ts';

const { values } = parseArgs({
  options: {
    devices: { type: 'string', default: '2000' },
    processes: { type: 'string', default: String(availableParallelism()) },
    speed: { type: 'string', default: '60' },
    'cpu-prof': { type: 'string' },
    'heap-snapshot': { type: 'string' },
    'node-flags': { type: 'string', default: '' },
  },
});
const fail = (message: string): never => {
  process.stderr.write(`bench tcp: ${message}\n`);
  process.exit(2);
};
const devices = Number(values.devices);
const processes = Number(values.processes);
const speed = Number(values.speed);
if (!Number.isInteger(devices) || devices < 10)
  fail(`--devices must be a whole number ≥ 10, got ${values.devices}`);
if (!Number.isInteger(processes) || processes < 1) fail(`--processes must be ≥ 1, got ${values.processes}`);
if (!(speed > 0)) fail(`--speed must be above 0, got ${values.speed}`);
const problem = descriptorProblem(devices, processes, openFilesLimit());
if (problem) fail(problem);

const say = (line: string) => process.stderr.write(`${line}\n`);
say(`bare loop: ${devices} clients in ${processes} processes …`);
const bareProc = spawnTs(join(import.meta.dirname, 'bare-loop.ts'), [
  '--devices',
  String(devices),
  '--processes',
  String(processes),
  '--port',
  String(await freeLowPort()),
]);
const bare = (await bareProc.waitFor(
  (ls) => ls.find((l) => 'connectSpanS' in l),
  'the bare loop figures',
  Math.max(300_000, devices * 60),
)) as unknown as BareFigures;
await bareProc.exited;

say(`fleetsim: serve (scaled ×${speed}) + ${processes} agents processes, ${devices} devices …`);
const fleetsim = await runFleetsim({
  devices,
  processes,
  speed,
  nodeArgs: [
    ...values['node-flags'].split(' ').filter(Boolean),
    ...(values['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${resolve(values['cpu-prof'])}`] : []),
    ...(values['heap-snapshot']
      ? ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${resolve(values['heap-snapshot'])}`]
      : []),
  ],
  onMeasured: async (pids) => {
    if (values['heap-snapshot'])
      await heapSnapshots(resolve(values['heap-snapshot']), [pids.service, pids.agents[0]!]);
  },
  onRunning: async (pids) => {
    say(`  running: service pid ${pids.service}, agents pids ${pids.agents.join(', ')}`);
  },
});

/** Signals each process to write a heap snapshot and waits (bounded) until each file stops growing. */
async function heapSnapshots(dir: string, pids: number[]): Promise<void> {
  for (const pid of pids) process.kill(pid, 'SIGUSR2');
  const sizes = () =>
    readdirSync(dir)
      .filter((f) => f.endsWith('.heapsnapshot') && pids.some((pid) => f.includes(`.${pid}.`)))
      .map((f) => statSync(join(dir, f)).size);
  let last = '';
  for (let waited = 0; waited < 600_000; waited += 2000) {
    await new Promise((r) => setTimeout(r, 2000));
    const now = JSON.stringify(sizes());
    if (sizes().length === pids.length && now === last) return;
    last = now;
  }
}

console.log(
  `\ntcp: ${devices} devices, ${processes} client/agents processes, scaled clock ×${speed}${values['node-flags'] ? `, node ${values['node-flags']}` : ''}\n`,
);
console.log(renderTable(bare, fleetsim));
console.log(`\nraw: ${JSON.stringify({ bare, fleetsim })}`);
