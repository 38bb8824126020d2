import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { join } from 'node:path';
import { freeLowPort } from '../tools/ports.ts';
import { ApiClient } from './graph-client.ts';
import { PlanError, type Target } from './plan.ts';
import { Worker } from './workers.ts';

/** The service a load run drives: its broker, its API, and for the embedded one its process. */
export interface LiveTarget {
  broker: string;
  api: ApiClient;
  token: string;
  enrollmentToken: string;
  service: Worker | null;
}

/** Ports taken between our check and the service's listen: try again on others this many times. */
const PORT_ATTEMPTS = 5;

/** Starts the embedded service in a process of its own, or checks that the remote one answers. */
export async function openTarget(
  target: Target,
  o: { speed: number; seed: string; dataDir: string },
): Promise<LiveTarget> {
  if (target.kind === 'remote') {
    await reachable(target.broker);
    const api = new ApiClient(target.api.replace(/\/+$/, ''), target.token);
    let clock: Awaited<ReturnType<ApiClient['clock']>>;
    try {
      clock = await api.clock();
    } catch (e) {
      throw new PlanError(
        `cannot reach the API at ${target.api}: ${(e as Error).message} (check --api and --token)`,
        'environment',
      );
    }
    if (clock.mode !== 'scaled')
      throw new PlanError(
        `the service at ${target.api} runs on the virtual clock: start it with --clock scaled`,
        'environment',
      );
    return {
      broker: target.broker,
      api,
      token: target.token,
      enrollmentToken: target.enrollmentToken,
      service: null,
    };
  }
  const token = randomBytes(24).toString('base64url');
  for (let attempt = 1; ; attempt++) {
    const service = new Worker('service', 'service', {
      port: await freeLowPort(),
      mqttPort: await freeLowPort(),
      speed: o.speed,
      seed: o.seed,
      dataDir: join(o.dataDir, 'service'),
      token,
    });
    const ready = await service.ready();
    if (ready.type === 'ready')
      return {
        broker: String(ready.mqttUrl),
        api: new ApiClient(String(ready.httpUrl), token),
        token,
        enrollmentToken: String(ready.enrollmentToken),
        service,
      };
    await service.exited;
    if (!ready.portInUse || attempt >= PORT_ATTEMPTS)
      throw new PlanError(`the embedded service did not start: ${String(ready.message)}`, 'environment');
  }
}

/** A TCP connection to the broker, opened and closed, so an unreachable target fails before anything starts. */
function reachable(broker: string): Promise<void> {
  const url = new URL(broker);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: url.hostname, port: Number(url.port), timeout: 5000 });
    const fail = (why: string) => {
      socket.destroy();
      reject(new PlanError(`cannot reach the broker at ${broker}: ${why} (check --target)`, 'environment'));
    };
    socket.once('connect', () => {
      socket.end();
      resolve();
    });
    socket.once('timeout', () => fail('no answer within 5 s'));
    socket.once('error', (e: NodeJS.ErrnoException) => fail(e.code ?? e.message));
  });
}
