import fc from 'fast-check';
import type { MqttClient } from 'mqtt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeviceAgent } from '../../agent/runtime/device-agent.ts';
import { PUBLIC_ROUTES } from '../../broker/http/auth.ts';
import { resolveDotSegments } from '../../broker/http/server.ts';
import type { Serving } from '../../cli/serve.ts';
import { MINUTE_MS } from '../../sim/time-units.ts';
import { CLOCK_TOPIC, deviceDownTopic, deviceUpTopic, enrollRequestTopic } from '../../sim/wire/topics.ts';
import { startServingOnFreePorts } from '../helpers/free-ports.ts';
import { publishOutcome, takeOverDevice } from '../helpers/intruder.ts';
import { isGraphError, rawRequest } from '../helpers/raw-http.ts';
import { stateOf } from '../helpers/service-state.ts';
import { type FuzzPublish, httpRequest, type Known, mqttPublish } from './fuzz-arbitraries.ts';

/**
 * Issue 9: property-based fuzzing through the real servers (fastify over TCP, aedes over TCP,
 * mqtt.js). Every HTTP answer is below 500, every refusal Graph-shaped, a refused request changes
 * nothing, and a request without the right token is always refused; every MQTT payload is taken
 * or refused and counted, a refused one never reaches the service; both servers serve afterwards.
 *
 * FUZZ_SEED=<n> replays a run; FUZZ_RUNS=<n> runs more (or fewer) than 1,000 of each.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 1_000);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);

let serving: Serving;
let known: Known;
/** A fresh emulator before each run, so what one fuzzer deletes or switches off the other still has. */
beforeEach(async () => {
  serving = await startServingOnFreePorts({
    fleet: {
      cohorts: [
        { platform: 'windows10', count: 3, osVersion: '22H2' },
        { platform: 'ios', count: 2 },
        { platform: 'androidKnox', count: 2 },
      ],
    },
  });
  const records = serving.emulator.service.listDevices();
  known = {
    deviceIds: records.map((r) => r.id),
    serials: records.map((r) => r.identity.serialNumber),
    upns: records.flatMap((r) => (r.identity.user ? [r.identity.user.userPrincipalName] : [])),
    port: Number(new URL(serving.httpUrl).port),
  };
});
afterEach(() => serving.stop());

/** A public route (auth.ts's PUBLIC_ROUTES), however the target spells it (the router's rules). */
function isPublic(method: string, target: string): boolean {
  let path = resolveDotSegments(target.replace(/^https?:\/\/[^/]+/, '')).split('?')[0]!;
  try {
    path = decodeURIComponent(path);
  } catch {}
  path = path.replace(/\/{2,}/g, '/').toLowerCase();
  const bare = path.length > 1 ? path.replace(/\/$/, '') : path;
  return [bare, `${bare}/`].some((p) => PUBLIC_ROUTES.has(`${method} ${p}`));
}

const figures = (what: string, statuses: Map<string | number, number>, ms: number) =>
  `FUZZ ${what}: seed ${SEED}, ${[...statuses.values()].reduce((a, b) => a + b, 0)} in ${Math.round(ms)} ms; ${[
    ...statuses,
  ]
    .sort()
    .map(([k, n]) => `${k}×${n}`)
    .join(' ')}`;

describe('fuzzing through the real servers', () => {
  it(`${RUNS} generated HTTP requests: no 5xx, every refusal Graph-shaped and without effect`, async () => {
    const statuses = new Map<number, number>();
    const started = performance.now();
    await fc.assert(
      fc.asyncProperty(httpRequest(known), async (r) => {
        const auth: Record<string, string> =
          r.auth === 'token'
            ? { authorization: `Bearer ${serving.token}` }
            : r.auth === 'wrong'
              ? { authorization: `Bearer ${serving.token}x` }
              : {};
        const before = stateOf(serving);
        const res = await rawRequest(known.port, r.method, r.target, { ...r.headers, ...auth }, r.body);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        const shown = `${r.method} ${r.target.slice(0, 200)} → ${res.status} ${res.text.slice(0, 200)}`;
        expect(res.status, shown).toBeLessThan(500);
        if (res.status >= 400) {
          if (r.method !== 'HEAD') expect(isGraphError(res.json), shown).toBe(true);
          expect(stateOf(serving), `refused, yet state changed: ${shown}`).toBe(before);
        }
        if (r.auth !== 'token' && !isPublic(r.method, r.target) && res.status !== 431)
          expect(res.status, `without the token: ${shown}`).toBe(401);
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    console.log(figures('HTTP', statuses, performance.now() - started));
    expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(RUNS);

    // Still serving.
    const list = await rawRequest(known.port, 'GET', '/v1.0/deviceManagement/managedDevices', {
      authorization: `Bearer ${serving.token}`,
    });
    expect(list.status).toBe(200);
  }, 600_000);

  it(`${RUNS} generated MQTT payloads from one device's credentials: each taken, or refused and counted`, async () => {
    const { s } = { s: serving };
    const [intruder, other] = s.emulator.runner.all() as [DeviceAgent, DeviceAgent];
    const otherChannel = other.credentials!.channelId;
    const { channelId, connect } = await takeOverDevice(s, 0);
    const broker = s.emulator.server.broker;
    const deviceId = s.emulator.service.channels.get(channelId)!.deviceId;
    const recordOf = () => JSON.stringify(s.emulator.service.devices.get(deviceId));
    // aedes reports a routed publish on its own schedule (PUBACK may come first): wait for it.
    let routed = 0;
    let onRouted = () => {};
    broker.aedes.on('publish', (_packet, client) => {
      if (client?.id !== channelId) return;
      routed++;
      onRouted();
    });
    const routedReaches = (n: number) =>
      new Promise<void>((resolve, reject) => {
        if (routed >= n) return resolve();
        const timer = setTimeout(() => reject(new Error(`publish ${n} was never routed`)), 5_000);
        onRouted = () => {
          if (routed < n) return;
          clearTimeout(timer);
          resolve();
        };
      });
    const topics: Record<FuzzPublish['topic'], string> = {
      own: deviceUpTopic(channelId),
      otherDevice: deviceUpTopic(otherChannel),
      ownDown: deviceDownTopic(channelId),
      enroll: enrollRequestTopic('enroll-intruder'),
      clock: CLOCK_TOPIC,
      wild: `${deviceUpTopic(channelId)}/extra`,
    };
    const outcomes = new Map<string, number>();
    let client: MqttClient | null = null;
    let sent = 0;
    const started = performance.now();
    await fc.assert(
      fc.asyncProperty(mqttPublish(s.emulator.clock.now()), async (p) => {
        client ??= await connect();
        const before = {
          ...broker.stats,
          routed,
          record: recordOf(),
          linkRejected: s.emulator.server.link.rejected,
        };
        const outcome = await publishOutcome(client, topics[p.topic], p.payload);
        sent++;
        const counted =
          broker.stats.publishRejected -
          before.publishRejected +
          (broker.stats.oversizeCut - before.oversizeCut);
        const key =
          outcome === 'accepted'
            ? 'accepted'
            : broker.stats.oversizeCut > before.oversizeCut
              ? 'cut'
              : 'refused';
        outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
        const shown = `${p.topic} ${p.payload.subarray(0, 200).toString('utf8')}`;
        if (outcome === 'accepted') {
          expect(counted, shown).toBe(0);
          await routedReaches(before.routed + 1);
          expect(routed, shown).toBe(before.routed + 1);
        } else {
          client = null;
          expect(counted, `refused but not counted: ${shown}`).toBe(1);
          expect(routed, `refused yet routed: ${shown}`).toBe(before.routed);
          expect(recordOf(), shown).toBe(before.record);
          expect(s.emulator.server.link.rejected).toBe(before.linkRejected);
        }
        // Let the service handle what it took, now and then (accepted messages wait for their time).
        if (sent % 100 === 0) await s.emulator.advance(MINUTE_MS);
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    await (client as MqttClient | null)?.endAsync(true);
    console.log(figures('MQTT', outcomes, performance.now() - started));
    expect(sent).toBeGreaterThanOrEqual(RUNS);

    // Both servers still serve: another device is synced through HTTP, over the broker, to done.
    await s.emulator.advance(20 * MINUTE_MS);
    const otherId = s.emulator.service.channels.get(otherChannel)!.deviceId;
    const sync = await rawRequest(
      known.port,
      'POST',
      `/v1.0/deviceManagement/managedDevices/${otherId}/syncDevice`,
      { authorization: `Bearer ${s.token}` },
    );
    expect(sync.status, sync.text).toBe(204);
    await s.emulator.advance(15 * MINUTE_MS);
    const done = [...s.emulator.service.actions.values()].filter(
      (a) => a.deviceId === otherId && a.kind === 'sync',
    );
    expect(done.at(-1)?.state).toBe('done');
    expect(intruder.credentials?.channelId).toBe(channelId);
  }, 600_000);
});
