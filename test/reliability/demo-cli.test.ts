import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/** The README's main job, as CI can run it: plain output, a fixed run time, free ports. */
describe('fleetsim demo --plain', () => {
  it('enrolls a mixed fleet, wipes, cuts the power of a protected wipe, retires, and exits cleanly', async () => {
    const child = spawn(
      process.execPath,
      [
        'bin/fleetsim.js',
        'demo',
        '--plain',
        '--for',
        '7',
        '--port',
        '0',
        '--mqtt-port',
        '0',
        '--devices',
        '40',
        '--speed',
        '120',
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code, err).toBe(0);
    const lines = out.trim().split('\n');
    expect(lines[0]).toMatch(/^fleetsim demo: \d+ devices, clock ×120$/);
    expect(lines[1]).toMatch(/Graph: http:\/\/127\.0\.0\.1:\d+\/v1\.0 .* token: \S+/);
    expect(out).toContain('wipe sent to');
    expect(out).toContain('protected wipe sent to');
    expect(out).toContain('retire sent to');
    expect(out).toMatch(/propagation p50 \d+\.\d min/);
  }, 60_000);
});
