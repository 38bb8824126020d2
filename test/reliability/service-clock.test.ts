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
