import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/** The README's main job, as CI can run it: plain output, a fixed run time, free ports. */
describe('fleetsim demo --plain', () => {
  it('enrolls a mixed fleet, wipes, cuts the power of a wipe and a protected wipe, retires, narrates each step once and exits with a summary', async () => {
    const child = spawn(
      process.execPath,
      [
        'bin/fleetsim.js',
        'demo',
        '--plain',
        '--for',
        '10',
        '--port',
        '0',
        '--mqtt-port',
        '0',
        '--devices',
        '40',
        '--speed',
        '1200',
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
    expect(lines[0]).toMatch(/^dashboard: http:\/\/127\.0\.0\.1:\d+\/dashboard\/#code=\S+$/);
    expect(lines[1]).toMatch(/^fleetsim demo: \d+ devices, clock ×1200$/);
    expect(lines[2]).toMatch(/Graph: http:\/\/127\.0\.0\.1:\d+\/v1\.0 .* token: \S+/);
    for (const step of [
      / wipe sent to /,
      / protected wipe sent to /,
      / retire sent to /,
      / power cut on /,
      /rolled back \(W-PROT-2\)/,
      /reset resumed after the power came back \(attempt 2, W-PROT-1\)/,
    ])
      expect(out).toMatch(step);
    expect(out).not.toContain('still enrolling');
    // Narrated once per event: no line repeats.
    const narration = lines.filter((l) => /^\d\d:\d\d:\d\d {2}/.test(l));
    expect(narration.length).toBe(new Set(narration).size);
    expect(out).toMatch(/fleetsim demo ended after \d+ s\n {2}actions: \d+ sent/);
  }, 60_000);
});
