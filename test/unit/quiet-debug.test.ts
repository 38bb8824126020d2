import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import '../../transport/connector.ts';

/** Prints the namespace of the logger mqtt-packet's parser gets, in a process of its own. */
const PROBE = `
  import { createRequire } from 'node:module';
  import { dirname, join } from 'node:path';
  await import('./transport/connector.ts');
  const packet = dirname(createRequire(join(process.cwd(), 'x.js')).resolve('mqtt-packet'));
  const debug = createRequire(join(packet, 'parser.js'))('debug');
  process.stdout.write(JSON.stringify(debug('mqtt-packet:parser').namespace));
`;
const probe = (env: NodeJS.ProcessEnv) =>
  execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', PROBE], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });

describe("mqtt-packet's debug", () => {
  it('is a quiet no-op without DEBUG, once mqtt and aedes are loaded through fleetsim', () => {
    const require = createRequire(import.meta.url);
    const packet = dirname(require.resolve('mqtt-packet'));
    const debug = createRequire(join(packet, 'parser.js'))('debug');
    const logger = debug('mqtt-packet:parser');
    expect(logger.enabled).toBe(false);
    expect(logger.namespace).toBe(''); // the real debug names its logger
    expect(logger('a %s', 'b')).toBeUndefined();
  });

  it('is the real debug when DEBUG is set, and the quiet one without, in a process of its own', () => {
    expect(probe({ DEBUG: 'mqtt-packet:*' })).toBe('"mqtt-packet:parser"');
    expect(probe({ DEBUG: '' })).toBe('""');
  });
});
