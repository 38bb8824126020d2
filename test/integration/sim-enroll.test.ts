import { afterEach, describe, expect, it } from 'vitest';
import { type HttpEmulator, startHttpEmulator } from '../helpers/http-emulator.ts';

/** /sim/fleet/enroll answers with what the devices became, on either clock. */
let api: HttpEmulator | null = null;
afterEach(async () => {
  await api?.close();
  api = null;
});

describe('POST /sim/fleet/enroll', () => {
  it.each(['virtual', 'scaled'] as const)(
    'on the %s clock, answers with each device’s managedDevice id, as Graph lists it',
    async (clock) => {
      api = await startHttpEmulator({ seed: `enroll-${clock}`, clock });
      const r = await api.call('POST', '/sim/fleet/enroll', {
        cohorts: [{ name: 'phones', platform: 'ios', count: 3, enrollmentType: 'companyPortal' }],
      });
      expect(r.status).toBe(201);
      const ids = (r.json.devices as { managedDeviceId: string | null; cohort: string }[]).map(
        (d) => d.managedDeviceId,
      );
      expect(ids.every((id) => typeof id === 'string' && id.length > 0)).toBe(true);
      expect(r.json.devices.map((d: { cohort: string }) => d.cohort)).toEqual(['phones', 'phones', 'phones']);
      const listed = (await api.call('GET', '/v1.0/deviceManagement/managedDevices')).json.value.map(
        (d: { id: string }) => d.id,
      );
      expect([...listed].sort()).toEqual([...ids].sort());
    },
  );

  it('a device it does not run is a 404 that says where such devices are', async () => {
    api = await startHttpEmulator({ seed: 'enroll-404' });
    const r = await api.call('GET', '/sim/devices/NOT-HERE');
    expect(r.status).toBe(404);
    expect(r.json.error.message).toMatch(/separate `fleetsim agents` process/);
  });

  it('without a seed each call is a new batch; with one, a repeat names the same devices and adds none', async () => {
    api = await startHttpEmulator({ seed: 'enroll-batches' });
    const enroll = async (body: object) =>
      (await api!.call('POST', '/sim/fleet/enroll', body)).json.devices.map(
        (d: { serialNumber: string; cohort: string }) => `${d.cohort}:${d.serialNumber}`,
      ) as string[];
    const first = await enroll({ cohorts: [{ platform: 'windows10', count: 2 }] });
    const second = await enroll({ cohorts: [{ platform: 'windows10', count: 2 }] });
    expect(first).toHaveLength(2);
    expect(second).toHaveLength(2);
    expect(first.every((d) => d.startsWith('windows10:'))).toBe(true);
    expect(second.filter((d) => first.includes(d))).toEqual([]);
    const seeded = await enroll({ seed: 'fixed', cohorts: [{ platform: 'ios', count: 2 }] });
    expect(await enroll({ seed: 'fixed', cohorts: [{ platform: 'ios', count: 2 }] })).toEqual(seeded);
    expect((await api.call('GET', '/sim/fleet/devices')).json.devices).toHaveLength(6);
  });
});
