import { startServing } from '../cli/serve.ts';
import { processSampler } from './process-stats.ts';
import { onStop, REPORT_EVERY_MS, readAssignment, say } from './worker-io.ts';

export interface ServiceAssignment {
  port: number;
  mqttPort: number;
  speed: number;
  seed: string;
  dataDir: string;
  token: string;
}

/**
 * The embedded target of a load run, in a process of its own so its CPU, memory and event loop
 * are measured apart from the generator's: `fleetsim serve` as startServing runs it, on the
 * scaled clock, reporting itself every second.
 */
export async function runServiceWorker(): Promise<void> {
  const a = await readAssignment<ServiceAssignment>();
  const sampler = processSampler('service');
  process.env.FLEETSIM_TOKEN = a.token;
  let serving: Awaited<ReturnType<typeof startServing>>;
  try {
    serving = await startServing({
      port: a.port,
      mqttPort: a.mqttPort,
      host: '127.0.0.1',
      clock: 'scaled',
      speed: a.speed,
      seed: a.seed,
      dataDir: a.dataDir,
      adminUpn: 'load@contoso.onmicrosoft.com',
    });
  } catch (e) {
    say({ type: 'failed', message: (e as Error).message, portInUse: /in use/i.test((e as Error).message) });
    process.exit(3);
  }
  const { emulator } = serving;
  const report = () =>
    say({
      type: 'stats',
      process: sampler.sample(),
      mqtt: emulator.server.broker.stats,
      events: emulator.log.stats(),
    });
  const reporter = setInterval(report, REPORT_EVERY_MS);
  onStop(async () => {
    clearInterval(reporter);
    report();
    await serving.stop();
  });
  say({
    type: 'ready',
    pid: process.pid,
    httpUrl: serving.httpUrl,
    mqttUrl: emulator.server.mqttUrl,
    enrollmentToken: emulator.server.enrollmentToken,
  });
}
