import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer } from '../../broker/server.ts';
import { SqliteServiceStore } from '../../broker/store/sqlite-store.ts';
import type { ClockAnchor } from '../../sim/clock/scaled-clock.ts';
import { ScaledClock } from '../../sim/clock/scaled-clock.ts';
import { spawnCli } from '../helpers/processes.ts';

let dir = '';
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the service as time authority', () => {
  it('persists its clock and continues the same sim time after a restart, at the new speed', async () => {
    dir = mkdtempSync(join(tmpdir(), 'fleetsim-clock-'));
    const db = join(dir, 'service.db');
    const first = await startServer({
      clock: ScaledClock.startingAt(Date.UTC(2026, 0, 5), 1000),
      seed: 's',
      db,
      mqttPort: null,
    });
    const before = first.clock.now();
    await first.close();
    // Started again with another start date: the persisted sim time wins.
    const clock = ScaledClock.startingAt(Date.UTC(2030, 0, 1), 10);
    const second = await startServer({ clock, seed: 's', db, mqttPort: null });
    try {
      expect(clock.now()).toBeGreaterThanOrEqual(before);
      expect(clock.now() - before).toBeLessThan(60_000 * 1000); // at most a minute of wall time has passed at 1000×
      expect(clock.speed).toBe(10);
    } finally {
      await second.close();
    }
  });
});

describe('fleetsim serve', () => {
  it('stops cleanly on Ctrl-C (SIGINT), keeping its state in the database', async () => {
    dir = mkdtempSync(join(tmpdir(), 'fleetsim-serve-'));
    const db = join(dir, 'service.db');
    const serve = spawnCli([
      'serve',
      '--mqtt-port',
      '0',
      '--db',
      db,
      '--speed',
      '600',
      '--fleet',
      'small',
      '--data-dir',
      dir,
      '--event-log',
      '-',
    ]);
    await serve.waitFor(
      (ls) => ls.filter((l) => l.type === 'device.enrolled').length === 12,
      'the embedded fleet to enroll',
    );
    // The banner follows the embedded fleet's enrollment (the event log starts before it).
    for (let i = 0; i < 300 && !serve.stderr.join('').includes('Ctrl-C stops it'); i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(serve.stderr.join('')).toMatch(/MQTT: +mqtt:\/\/127\.0\.0\.1:\d+/);
    expect(serve.stderr.join('')).toContain('embedded fleet:    12 devices');
    serve.child.kill('SIGINT');
    const code = await serve.exited;
    expect(code, serve.stderr.join('')).toBe(0);
    const store = new SqliteServiceStore(db);
    try {
      expect(store.getSetting<ClockAnchor>('clockAnchor')?.speed).toBe(600);
      expect(store.loadAll().devices.length).toBe(12);
    } finally {
      store.close();
    }
    expect(existsSync(join(dir, 'embedded-agents.db'))).toBe(true);
  }, 60_000);
});

describe('fleetsim serve --clock virtual', () => {
  it('serves the Graph and /sim APIs on the port it prints; the clock moves only when /sim advances it', async () => {
    const serve = spawnCli([
      'serve',
      '--clock',
      'virtual',
      '--port',
      '0',
      '--mqtt-port',
      '0',
      '--db',
      ':memory:',
      '--fleet',
      'small',
    ]);
    const banner = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`serve did not start: ${serve.stderr.join('')}`)),
        30_000,
      );
      serve.child.stderr!.on('data', () => {
        const text = serve.stderr.join('');
        if (text.includes('Ctrl-C stops it')) {
          clearTimeout(timer);
          resolve(text);
        }
      });
    });
    const base = /Graph API: +(http:\/\/127\.0\.0\.1:\d+)\/v1\.0/.exec(banner)![1]!;
    const token = /bearer token: +(\S+)/.exec(banner)![1]!;
    expect(banner).toMatch(/clock: +virtual at .*moves only when POST \/sim\/clock\/advance/);
    const call = async (method: string, path: string, body?: unknown) =>
      (
        await fetch(`${base}${path}`, {
          method,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          ...(body ? { body: JSON.stringify(body) } : {}),
        })
      ).json() as Promise<any>;
    const t0 = (await call('GET', '/sim/clock')).nowMs;
    expect((await call('GET', '/sim/clock')).nowMs).toBe(t0); // it does not move by itself
    expect((await call('POST', '/sim/clock/advance', { by: '2h' })).nowMs).toBe(t0 + 2 * 3600_000);
    expect((await call('GET', '/v1.0/deviceManagement/managedDevices')).value).toHaveLength(12);
    serve.child.kill('SIGINT');
    expect(await serve.exited).toBe(0);
  }, 60_000);
});
