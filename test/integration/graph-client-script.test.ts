import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpEmulator, startHttpEmulator } from '../helpers/http-emulator.ts';

/** A Graph script written for Graph (plain fetch, Graph paths) runs unchanged against the emulator. */
let api: HttpEmulator;
beforeAll(async () => {
  api = await startHttpEmulator({
    seed: 'script',
    cohorts: [
      { name: 'stale', platform: 'windows10', count: 3, osVersion: '22H2' },
      { name: 'old', platform: 'windows10', count: 1, osVersion: '1607' },
      { name: 'byod', platform: 'ios', count: 2, enrollmentType: 'companyPortal', ownership: 'personal' },
      { name: 'corp', platform: 'ios', count: 1, enrollmentType: 'automatedDeviceEnrollment' },
    ],
  });
  // Take every device offline, then let ten days pass: all of them are stale.
  for (const d of (await api.call('GET', '/sim/fleet/devices')).json.devices)
    await api.call('POST', `/sim/devices/${d.serialNumber}/network`, { online: false });
  await api.call('POST', '/sim/clock/advance', { by: '10d' });
});
afterAll(async () => api?.close());

describe('a Graph-style client script', () => {
  it('lists with $filter and paging, wipes and retires, and reads the audit log', async () => {
    const now = (await api.call('GET', '/sim/clock')).json.now;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['examples/graph-wipe-stale-devices.mjs'],
      {
        env: { ...process.env, GRAPH_BASE: api.base, GRAPH_TOKEN: api.token, NOW: now },
      },
    );
    const report = JSON.parse(stdout);
    expect(report.wiped).toHaveLength(3);
    expect(report.refused).toEqual([expect.stringMatching(/keepUserDataNotSupported; rule W-4/)]);
    expect(report.retired).toHaveLength(2);
    expect(report.audit).toHaveLength(5);
    for (const line of report.audit)
      expect(line).toMatch(
        /^admin@contoso\.onmicrosoft\.com (factoryResetKeepEnrollmentData|removeCompanyData) .* \(pending\)$/,
      );
  });
});
