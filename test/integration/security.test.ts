import { connectAsync, type MqttClient } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { HOUR_MS } from '../../sim/time-units.ts';
import { deviceDownTopic, deviceUpTopic, OLDER_LAYOUT_HINT } from '../../sim/wire/topics.ts';
import { act, current } from '../helpers/admin.ts';
import { FACTS } from '../helpers/intruder.ts';
import { startVirtualFleet, type VirtualFleet } from '../helpers/virtual-fleet.ts';

/** Security at the broker, over real TCP with real mqtt.js clients. */
let fleet: VirtualFleet | null = null;
const clients: MqttClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) await c.endAsync(true);
  await fleet?.close();
  fleet = null;
});

async function connectAs(
  f: VirtualFleet,
  clientId: string,
  username: string,
  password: string,
): Promise<MqttClient> {
  const client = await connectAsync(f.server.mqttUrl!, {
    clientId,
    username,
    password,
    protocolVersion: 4,
    reconnectPeriod: 0,
  });
  clients.push(client);
  return client;
}

/** Resolves when the broker drops the client (what aedes does with a refused publish). */
const closed = (client: MqttClient) => new Promise<void>((resolve) => client.once('close', () => resolve()));

/** Two devices; device a's agent is stopped and a raw mqtt.js client takes over its credentials. */
async function intruderAsA() {
  const { f, a, b } = await twoDevices();
  fleet = f;
  await a.stop();
  const { channelId, token } = a.credentials!;
  const raw = await connectAs(f, channelId, channelId, token);
  return { f, b, raw, channelId };
}

async function twoDevices() {
  const f = await startVirtualFleet({
    seed: 'sec',
    transport: 'tcp',
    cohorts: [{ platform: 'androidKnox', count: 2 }],
  });
  const [a, b] = f.runner.all();
  return { f, a: a!, b: b! };
}

describe('credentials', () => {
  it("refuses a wrong token, an unknown device and a client id that is not the device's", async () => {
    const { f, a } = await twoDevices();
    fleet = f;
    const { channelId, token } = a.credentials!;
    await expect(connectAs(f, channelId, channelId, 'not-the-token')).rejects.toThrow(
      /Bad username or password/i,
    );
    await expect(connectAs(f, 'dev-unknown', 'dev-unknown', token)).rejects.toThrow(
      /Bad username or password/i,
    );
    await expect(connectAs(f, 'someone-else', channelId, token)).rejects.toThrow(/Not authorized/i);
    await expect(connectAs(f, 'enroll-x', 'enroll', 'wrong')).rejects.toThrow(/Bad username or password/i);
    expect(f.server.broker.stats.authRefused).toBe(4);
    expect(f.log.ofType('auth.refused')).toHaveLength(4);
  });

  it('stop working once a retire has completed', async () => {
    const { f, a } = await twoDevices();
    fleet = f;
    const { channelId, token } = a.credentials!;
    const retire = act(f, a, { action: 'retire' });
    await f.clock.runUntil(() => current(f, retire).state === 'done', HOUR_MS);
    expect(f.log.ofType('credentials.revoked').map((e) => e.channelId)).toEqual([channelId]);
    await expect(connectAs(f, channelId, channelId, token)).rejects.toThrow(/Bad username or password/i);
  });
});

describe('topics', () => {
  it("a device can subscribe only to its own topics: another device's are refused and deliver nothing", async () => {
    const { f, b, raw } = await intruderAsA();
    const refused = await raw
      .subscribeAsync(
        [deviceDownTopic(b.credentials!.channelId), deviceUpTopic(b.credentials!.channelId), 'fleetsim/#'],
        { qos: 1 },
      )
      .then(
        () => null,
        (e: Error & { packet?: { granted: number[] } }) => e,
      );
    expect(refused?.message).toMatch(/Subscribe error/);
    expect(refused?.packet?.granted).toEqual([128, 128, 128]); // SUBACK failure for each filter
    expect(f.server.broker.stats.subscribeRefused).toBe(3);
    // b's traffic keeps flowing and none of it reaches the intruder.
    let leaked = 0;
    raw.on('message', () => leaked++);
    const sync = act(f, b, { action: 'sync' });
    await f.clock.runUntil(() => current(f, sync).state === 'done', HOUR_MS);
    expect(current(f, sync).state).toBe('done');
    expect(leaked).toBe(0);
  });

  it("a device cannot publish on another device's topic: the message is refused and the intruder dropped", async () => {
    const { f, b, raw, channelId } = await intruderAsA();
    const gone = closed(raw);
    raw.publish(
      deviceUpTopic(b.credentials!.channelId),
      JSON.stringify({ v: 2, seq: 0, sentAtMs: 0, type: 'ack', commandId: 'x' }),
      { qos: 1 },
    );
    await gone;
    expect(f.log.ofType('wire.rejected').at(-1)).toMatchObject({
      clientId: channelId,
      reason: expect.stringContaining('not allowed to publish'),
    });
    expect(f.server.link.rejected).toBe(0); // it never reached the service
  });

  it('a device of an older fleetsim, on its own topic in the id-first layout, is told so', async () => {
    const { f, raw, channelId } = await intruderAsA();
    const gone = closed(raw);
    raw.publish(
      `fleetsim/devices/${channelId}/up`,
      JSON.stringify({ v: 2, seq: 0, sentAtMs: 0, type: 'ack', commandId: 'x' }),
      { qos: 1 },
    );
    await gone;
    expect(f.log.ofType('wire.rejected').at(-1)).toMatchObject({
      clientId: channelId,
      reason: `not allowed to publish on fleetsim/devices/${channelId}/up (${OLDER_LAYOUT_HINT})`,
    });
  });
});

describe('malformed payloads', () => {
  const up = (body: object) => JSON.stringify({ v: 2, seq: 0, sentAtMs: 0, ...body });
  it.each([
    ['truncated JSON', '{"v":2,"seq":0,"sentAtMs":0,"type":"checkIn","rea', 'not JSON'],
    [
      'wrong types',
      up({ type: 'checkIn', reason: 'schedule', facts: { ...FACTS, apps: 'many' } }),
      'facts.apps',
    ],
    ['an unknown message type', up({ type: 'selfDestruct' }), 'type'],
    ['an unknown field', up({ type: 'ack', commandId: 'c', extra: true }), 'extra'],
    // Larger packets are cut off at their header (test/security/mqtt-limits.test.ts).
    ['a payload one byte over the limit', Buffer.alloc(64 * 1024 + 1, 0x20), 'over the 65536-byte limit'],
  ])(
    '%s is rejected, counted and logged; the broker keeps serving everyone else',
    async (_name, payload, reason) => {
      const { f, b, raw, channelId } = await intruderAsA();
      const gone = closed(raw);
      raw.publish(deviceUpTopic(channelId), payload, { qos: 1 });
      await gone;
      expect(f.server.broker.stats.publishRejected).toBe(1);
      const rejected = f.log.ofType('wire.rejected').at(-1)!;
      expect(rejected.clientId).toBe(channelId);
      expect(rejected.reason).toContain(reason);
      const retire = act(f, b, { action: 'retire' });
      await f.clock.runUntil(() => current(f, retire).state === 'done', HOUR_MS);
      expect(current(f, retire).state).toBe('done');
    },
  );
});
