import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Serving } from '../../cli/serve.ts';
import type { FleetEvent } from '../../sim/events.ts';
import { type Exposition, exposedNames, parseExposition, sampleValue } from '../../tools/prometheus-text.ts';
import { startServingOnFreePorts } from '../helpers/free-ports.ts';

/**
 * GET /metrics on `fleetsim serve` (virtual clock, embedded fleet over the real aedes broker):
 * every figure checked exactly against the fleet it describes and the event log it derives from.
 */
let serving: Serving;
const call = (path: string, init: RequestInit = {}, token: string | null = serving.token) =>
  fetch(`${serving.httpUrl}${path}`, {
    ...init,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(init.body ? { 'content-type': 'application/json' } : {}),
    },
  });
const scrape = async (): Promise<Exposition> => {
  const res = await call('/metrics');
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parseExposition(await res.text());
};
const events = async (): Promise<FleetEvent[]> =>
  (await (await call('/sim/events')).text())
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
const advance = async (by: string) =>
  expect((await call('/sim/clock/advance', { method: 'POST', body: JSON.stringify({ by }) })).status).toBe(
    200,
  );

const WINDOWS = 2;
const KNOX = 3;
beforeAll(async () => {
  serving = await startServingOnFreePorts({
    seed: 'metrics',
    fleet: {
      cohorts: [
        { platform: 'windows10', count: WINDOWS, osVersion: '22H2' } as never,
        { platform: 'androidKnox', count: KNOX },
      ],
    },
  });
});
afterAll(async () => {
  await serving?.stop();
});

describe('GET /metrics', () => {
  it('counts the enrolled fleet by platform, connected and listed (discovered until the first check-in)', async () => {
    const m = await scrape();
    for (const [platform, count] of [
      ['windows10', WINDOWS],
      ['androidKnox', KNOX],
    ] as const) {
      expect(sampleValue(m, 'fleetsim_devices_enrolled_total', { platform }), platform).toBe(count);
      expect(sampleValue(m, 'fleetsim_devices_connected', { platform }), platform).toBe(count);
      expect(
        sampleValue(m, 'fleetsim_devices_managed', { platform, management_state: 'discovered' }),
        platform,
      ).toBe(count);
    }
    expect(sampleValue(m, 'fleetsim_mqtt_clients', { role: 'device' })).toBe(WINDOWS + KNOX);
    // The service runs in the broker's process: no connection of its own to count.
    expect(sampleValue(m, 'fleetsim_mqtt_clients', { role: 'service' })).toBeUndefined();
    expect(sampleValue(m, 'fleetsim_mqtt_refused_total', { reason: 'auth' })).toBe(0);
    expect(sampleValue(m, 'fleetsim_sim_time_seconds')).toBe(serving.emulator.clock.now() / 1000);
    // prom-client's process metrics ride along.
    expect(sampleValue(m, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(m.types.get('nodejs_eventloop_lag_p99_seconds')).toBe('gauge');
    // …but none whose every scrape costs O(open sockets).
    expect(m.types.has('process_open_fds')).toBe(false);
    expect(m.types.has('nodejs_active_handles')).toBe(false);
  });

  it('W-7: a wipe is counted requested, delivered, acknowledged under the 15-minute bucket, and by state', async () => {
    await advance('3h'); // past the frequent check-ins of newly enrolled devices
    const target = serving.emulator.service.listDevices().find((d) => d.identity.platform === 'windows10')!;
    const res = await call(`/v1.0/deviceManagement/managedDevices/${target.id}/wipe`, {
      method: 'POST',
      body: '{}',
    });
    expect(res.status).toBe(204);
    await advance('15m');
    const m = await scrape();
    const log = await events();
    const wipe = { platform: 'windows10', action: 'wipe' };
    const ack = log.find((e) => e.type === 'action.acknowledged');
    expect(ack).toMatchObject({ deviceId: target.id, action: 'wipe' });
    const propagationS = (ack as { propagationMs: number }).propagationMs / 1000;

    expect(sampleValue(m, 'fleetsim_actions_requested_total', { ...wipe, source: 'admin' })).toBe(1);
    expect(sampleValue(m, 'fleetsim_commands_delivered_total', wipe)).toBe(
      log.filter((e) => e.type === 'action.delivered').length,
    );
    expect(sampleValue(m, 'fleetsim_actions_acknowledged_total', wipe)).toBe(1);
    expect(sampleValue(m, 'fleetsim_action_propagation_seconds_count', wipe)).toBe(1);
    expect(sampleValue(m, 'fleetsim_action_propagation_seconds_sum', wipe)).toBe(propagationS);
    expect(propagationS).toBeLessThan(900);
    expect(sampleValue(m, 'fleetsim_action_propagation_seconds_bucket', { ...wipe, le: '900' })).toBe(1);
    expect(sampleValue(m, 'fleetsim_action_propagation_seconds_bucket', { ...wipe, le: '30' })).toBe(
      propagationS <= 30 ? 1 : 0,
    );
    // The action's current state, from the registry.
    const state = serving.emulator.service.actions.values().next().value!.state;
    expect(sampleValue(m, 'fleetsim_actions', { ...wipe, state })).toBe(1);
    // No other platform has any action.
    expect(
      m.samples.filter((s) => s.name === 'fleetsim_actions' && s.labels.platform !== 'windows10'),
    ).toEqual([]);
  });

  it('agrees with the event log on every event type and every check-in', async () => {
    const [m, log] = [await scrape(), await events()];
    const byType = new Map<string, number>();
    for (const e of log) byType.set(e.type, (byType.get(e.type) ?? 0) + 1);
    const counted = m.samples.filter((s) => s.name === 'fleetsim_events_total');
    expect(Object.fromEntries(counted.map((s) => [s.labels.type, s.value]))).toEqual(
      Object.fromEntries(byType),
    );

    const platformOf = (id: string) => serving.emulator.service.devices.get(id)!.identity.platform;
    const checkIns = new Map<string, number>();
    for (const e of log)
      if (e.type === 'device.checkIn') {
        const key = `${platformOf(e.deviceId)} ${e.reason}`;
        checkIns.set(key, (checkIns.get(key) ?? 0) + 1);
      }
    expect(checkIns.size).toBeGreaterThan(1);
    const scraped = m.samples
      .filter((s) => s.name === 'fleetsim_checkins_total')
      .map((s) => [`${s.labels.platform} ${s.labels.reason}`, s.value]);
    expect(Object.fromEntries(scraped)).toEqual(Object.fromEntries(checkIns));
  });

  it('counts broker traffic by sender role, never by client id', async () => {
    const m = await scrape();
    const messages = m.samples.filter((s) => s.name === 'fleetsim_mqtt_messages_total');
    expect(new Set(messages.map((s) => s.labels.from))).toEqual(
      new Set(['service', 'device', 'enrollee', 'broker']),
    );
    for (const s of messages) expect(s.value).toBeGreaterThan(0);
    const ids = [...serving.emulator.service.devices.keys(), ...serving.emulator.service.channels.keys()];
    const labelValues = m.samples.flatMap((s) => Object.values(s.labels));
    expect(labelValues.filter((v) => ids.includes(v))).toEqual([]);
  });

  it('refuses a scrape without the bearer token, or with a wrong one, Graph-shaped', async () => {
    for (const token of [null, 'not-the-token']) {
      const res = await call('/metrics', {}, token);
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe(
        'InvalidAuthenticationToken',
      );
    }
  });
});

describe('the sample Grafana dashboard', () => {
  const dashboardPath = join(import.meta.dirname, '..', '..', 'docs', 'grafana', 'fleetsim-dashboard.json');
  const exprs = (JSON.parse(readFileSync(dashboardPath, 'utf8')).panels as { targets: { expr: string }[] }[])
    .flatMap((p) => p.targets)
    .map((t) => t.expr);

  it('queries only metric names GET /metrics exposes', async () => {
    const exposed = exposedNames(await scrape());
    const referenced = new Set(
      exprs.flatMap((e) => e.match(/\b(?:fleetsim|nodejs|process)_[a-z0-9_]+/g) ?? []),
    );
    expect(referenced.size).toBeGreaterThan(15);
    expect([...referenced].filter((name) => !exposed.has(name))).toEqual([]);
  });
});
