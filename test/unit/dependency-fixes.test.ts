import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

/** Whether a device's connected MqttClient has fast properties, asked of V8 in a process of its own. */
function clientIsFast(deleteField: boolean): boolean {
  const run = spawnSync(
    process.execPath,
    [
      '--allow-natives-syntax',
      '--import',
      'tsx',
      join(root, 'test/helpers/client-shape.ts'),
      ...(deleteField ? ['--delete-field'] : []),
    ],
    // A hung child would block this worker, and with it vitest's own timeout.
    { cwd: root, encoding: 'utf8', timeout: 25_000, killSignal: 'SIGKILL' },
  );
  if (run.status !== 0) throw new Error(`client-shape: ${run.error ?? run.signal ?? ''} ${run.stderr}`);
  return (JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { fast: boolean }).fast;
}

describe('fixes to installed dependencies (tools/patch-dependencies.mjs)', () => {
  it('run on every install', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts.postinstall).toBe('node tools/patch-dependencies.mjs');
  });

  it("keep a connected device's MqttClient in fast properties (mqtt.js deleted a class field on CONNACK)", () => {
    expect(clientIsFast(true)).toBe(false); // the probe sees a dictionary-mode client
    expect(
      clientIsFast(false),
      'dictionary mode: run `node tools/patch-dependencies.mjs` (npm ci does)',
    ).toBe(true);
  }, 30_000);
});
