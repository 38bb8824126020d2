import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

describe('objects a fleet holds one of per device share their hidden class', () => {
  it('device states, work profiles and story events: one V8 map per kind, not one per device', () => {
    const run = spawnSync(
      process.execPath,
      ['--allow-natives-syntax', '--import', 'tsx', join(root, 'test/helpers/hidden-classes.ts')],
      // A hung child would block this worker, and with it vitest's own timeout.
      { cwd: root, encoding: 'utf8', timeout: 25_000, killSignal: 'SIGKILL' },
    );
    if (run.status !== 0) throw new Error(`hidden-classes: ${run.error ?? run.signal ?? ''} ${run.stderr}`);
    expect(JSON.parse(run.stdout.trim().split('\n').at(-1)!)).toEqual({
      devices: 120,
      windows10States: 1,
      androidWorkProfileStates: 1,
      workProfiles: 1,
      enrolledEvents: 1,
      managementStateEvents: 1,
    });
  });
});
