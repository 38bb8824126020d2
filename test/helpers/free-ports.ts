import { type ServeOptions, type Serving, startServing } from '../../cli/serve.ts';

/** Test servers listen on ports below 32768 (never port 0): a random one in this range. */
const PORT_MIN = 20_000;
const PORT_MAX = 32_000;
const ATTEMPTS_MAX = 20;

export function randomPort(): number {
  return PORT_MIN + Math.floor(Math.random() * (PORT_MAX - PORT_MIN));
}

/** Runs `start` on random ports in range, again on other ones while it fails with EADDRINUSE. */
export async function onFreePorts<T>(start: (httpPort: number, mqttPort: number) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start(randomPort(), randomPort());
    } catch (e) {
      if ((e as { code?: string }).code !== 'EADDRINUSE' || attempt >= ATTEMPTS_MAX) throw e;
    }
  }
}

/** `fleetsim serve` in this process, on the virtual clock and free ports, with the given fleet. */
export function startServingOnFreePorts(options: Partial<ServeOptions> = {}): Promise<Serving> {
  return onFreePorts((port, mqttPort) =>
    startServing({
      port,
      mqttPort,
      host: '127.0.0.1',
      clock: 'virtual',
      speed: 600,
      seed: 'security',
      db: ':memory:',
      dataDir: '.fleetsim-test',
      adminUpn: 'admin@contoso.onmicrosoft.com',
      ...options,
    }),
  );
}
