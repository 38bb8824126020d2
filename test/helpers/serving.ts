import { type ServeOptions, type Serving, startServing } from '../../cli/serve.ts';
import { onFreePorts } from './ports.ts';

/** `startServing` on free ports below 32768, in memory, with the defaults these tests share. */
export function serveOnFreePorts(
  options: Partial<ServeOptions> & Pick<ServeOptions, 'seed'>,
): Promise<Serving> {
  return onFreePorts(2, ([port, mqttPort]) =>
    startServing({
      port: port!,
      mqttPort: mqttPort!,
      host: '127.0.0.1',
      clock: 'virtual',
      speed: 60,
      db: ':memory:',
      dataDir: '.fleetsim-test',
      adminUpn: 'admin@contoso.onmicrosoft.com',
      ...options,
    }),
  );
}
