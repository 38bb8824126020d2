import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FLEET_PRESETS } from '../../agent/fleet/fleet-file.ts';
import { Emulator } from '../../emulator/emulator.ts';
import { onFreePorts } from '../helpers/ports.ts';
import { type JsonProcess, spawnCli } from '../helpers/processes.ts';

/** Defaults that keep separate fleets apart: the data dir owns every file; default seeds never collide. */
let dir = '';
const procs: JsonProcess[] = [];
afterEach(async () => {
  for (const p of procs.splice(0)) if (p.child.exitCode === null) await p.kill9();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function filesUnder(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(root, join(e.parentPath, e.name)))
    .sort();
}

/** Waits (bounded) for the process's stderr to show `pattern`. */
function stderrShows(p: JsonProcess, pattern: RegExp, what: string, timeoutMs = 30_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${what}: not seen in ${timeoutMs} ms\n${p.stderr.join('')}`)),
      timeoutMs,
    );
    const check = () => {
      const text = p.stderr.join('');
      if (pattern.test(text)) {
        clearTimeout(timer);
        p.child.stderr!.off('data', check);
        resolve(text);
      }
    };
    p.child.stderr!.on('data', check);
    check();
  });
}

async function stop(p: JsonProcess): Promise<number | null> {
  p.child.kill('SIGTERM');
  return p.exited;
}

describe('serve --data-dir', () => {
  it('keeps every file in the data dir, and says whether it created or reopened its state', async () => {
    dir = mkdtempSync(join(tmpdir(), 'fleetsim-data-dir-'));
    const start = () =>
      onFreePorts(2, async ([http, mqtt]) => {
        const p = spawnCli(
          [
            'serve',
            '--data-dir',
            'fleet-a',
            '--port',
            String(http),
            '--mqtt-port',
            String(mqtt),
            '--tls',
            '--fleet',
            'small',
            '--clock',
            'virtual',
          ],
          { cwd: dir },
        );
        procs.push(p);
        const text = await stderrShows(p, /Ctrl-C stops it|fleetsim: /, 'serve to start');
        const inUse = /already in use/.test(text);
        if (inUse) throw Object.assign(new Error(text), { code: 'EADDRINUSE' });
        return { p, text };
      });
    const first = await start();
    expect(first.text).toMatch(/database: +\S+\/fleet-a\/fleetsim\.db \(created: a new fleet\)/);
    expect(await stop(first.p), first.p.stderr.join('')).toBe(0);
    // Nothing outside the data dir: no .fleetsim/ next to it with an old database to reuse.
    expect(
      filesUnder(dir).every((f) => f.startsWith('fleet-a/')),
      filesUnder(dir).join(', '),
    ).toBe(true);
    expect(filesUnder(dir)).toEqual(
      expect.arrayContaining([
        'fleet-a/fleetsim.db',
        'fleet-a/embedded-agents.db',
        'fleet-a/fleetsim-cert.pem',
        'fleet-a/fleetsim-key.pem',
      ]),
    );
    const second = await start();
    expect(second.text).toMatch(
      /database: +\S+\/fleet-a\/fleetsim\.db \(reopened: 12 managed devices from an earlier run\)/,
    );
    expect(await stop(second.p)).toBe(0);
  }, 60_000);
});

describe('two agents processes with default options', () => {
  it('never enroll the same serial number: the second takes its own database and seed', async () => {
    dir = mkdtempSync(join(tmpdir(), 'fleetsim-two-agents-'));
    const emulator = await onFreePorts(1, ([mqttPort]) =>
      Emulator.start({
        clock: 'scaled',
        speed: 60,
        seed: 'fleetsim',
        db: ':memory:',
        agentDb: null,
        mqttPort: mqttPort!,
      }),
    );
    try {
      const enrolled: string[] = [];
      emulator.log.on((e) => {
        if (e.type === 'device.enrolled') enrolled.push(e.serialNumber);
      });
      // serve's embedded fleet on serve's default seed: the same cohorts as the agents' (they collided before).
      await emulator.enroll(FLEET_PRESETS.small!.cohorts);
      const args = [
        'agents',
        '--broker',
        emulator.server.mqttUrl!,
        '--enrollment-token',
        emulator.server.enrollmentToken,
        '--fleet',
        'small',
      ];
      const a = spawnCli(args, { cwd: dir });
      procs.push(a);
      await stderrShows(a, /fleetsim agents: 12 devices/, 'the first agents process');
      const b = spawnCli(args, { cwd: dir });
      procs.push(b);
      const bText = await stderrShows(b, /fleetsim agents: 12 devices/, 'the second agents process');
      expect(bText).toMatch(
        /agents\.db is run by another process; this one keeps its devices in \S+agents-2\.db/,
      );
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${enrolled.length} of 36 enrolled`)), 30_000);
        const check = () => {
          if (enrolled.length >= 36) {
            clearTimeout(timer);
            resolve();
          }
        };
        emulator.log.on(check);
        check();
      });
      expect(new Set(enrolled).size, `serials enrolled twice: ${enrolled.join(' ')}`).toBe(enrolled.length);
      expect(await stop(a)).toBe(0);
      expect(await stop(b)).toBe(0);
      expect(filesUnder(dir).filter((f) => f.endsWith('.db'))).toEqual([
        '.fleetsim/agents-2.db',
        '.fleetsim/agents.db',
      ]);
    } finally {
      await emulator.close();
    }
  }, 90_000);
});
