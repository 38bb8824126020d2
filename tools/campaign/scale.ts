/**
 * `npm run campaign:scale -- --devices 10000`: enrollment at scale over real TCP in two processes,
 * `fleetsim serve` and `fleetsim agents`, as a load tester would run them. Every device must
 * enroll; the agents' own progress lines say how many did and, at the end, which did not and why.
 * Prints the time to full enrollment, the rate, and the peak memory of both processes.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { freeLowPort } from '../ports.ts';
import { mixedFleet } from './mixed-fleet.ts';
import { rssKb, startAgents, startService, stop } from './processes.ts';

const { values } = parseArgs({
  options: {
    devices: { type: 'string', default: '10000' },
    timeout: { type: 'string', default: '900' },
    speed: { type: 'string', default: '60' },
  },
});
const devices = Number(values.devices);
const dir = mkdtempSync(join(tmpdir(), 'fleetsim-scale-'));
writeFileSync(join(dir, 'fleet.json'), JSON.stringify(mixedFleet(devices)));

const [httpPort, mqttPort] = [await freeLowPort(), await freeLowPort()];
const service = await startService({
  dir,
  httpPort,
  mqttPort,
  speed: Number(values.speed),
  token: 'scale-token-0123456789abcdef',
});
const t0 = Date.now();
const agents = startAgents({ dir, mqttPort, enrollmentToken: service.enrollmentToken, seed: 'scale' });
let enrolled = 0;
let peak = { service: 0, agents: 0 };
const deadline = t0 + Number(values.timeout) * 1000;
while (Date.now() < deadline && enrolled < devices) {
  await sleep(1000);
  const lines = agents.stderr.join('').match(/(\d+)\/\d+ enrolled/g) ?? [];
  enrolled = Number(/(\d+)\//.exec(lines.at(-1) ?? '0/')?.[1] ?? 0);
  peak = {
    service: Math.max(peak.service, rssKb(service.proc.child.pid, 'VmHWM')),
    agents: Math.max(peak.agents, rssKb(agents.child.pid, 'VmHWM')),
  };
}
const seconds = (Date.now() - t0) / 1000;
await stop(agents);
await stop(service.proc);
const summary = agents.stderr
  .join('')
  .split('\n')
  .filter((l) => l.includes('not enrolled') || l.includes('enrolled,'));
console.log(
  `${enrolled}/${devices} devices enrolled over TCP in ${seconds.toFixed(1)} s wall (${(enrolled / seconds).toFixed(0)} devices/s, incl. process start)`,
);
console.log(
  `peak RSS: service ${(peak.service / 1024).toFixed(0)} MB (${(peak.service / devices).toFixed(1)} KB/device), agents ${(peak.agents / 1024).toFixed(0)} MB (${(peak.agents / devices).toFixed(1)} KB/device)`,
);
for (const line of summary.slice(-22)) console.log(line);
rmSync(dir, { recursive: true, force: true });
process.exit(enrolled === devices ? 0 : 1);
