import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  kill9,
  type Proc,
  startAgents,
  startService,
  stop,
  waitForStderr,
} from '../../tools/campaign/processes.ts';
import { freeLowPort } from '../../tools/ports.ts';

/**
 * Restarts as users meet them, through the fleetsim binary: the service stopped with SIGTERM or
 * killed with SIGKILL between enrollments and actions never hands out an id twice and never
 * overwrites what it had; `agents` started before the broker waits for it.
 */
let dir = '';
const procs: Proc[] = [];
afterEach(async () => {
  for (const p of procs.splice(0)) await kill9(p);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const TOKEN = 'restart-test-token-0123456789';

async function graph(port: number, method: string, path: string, body?: object) {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}

/** Polls the Graph API (bounded) until `check` holds. */
async function waitUntil(check: () => Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('restarts never reuse ids', () => {
  it('enroll → SIGTERM → enroll and act → SIGKILL → enroll and act: every id unique, nothing overwritten', async () => {
    dir = mkdtempSync(join(tmpdir(), 'fleetsim-restart-'));
    const [httpPort, mqttPort] = [await freeLowPort(), await freeLowPort()];
    const args = { dir, httpPort, mqttPort, speed: 1200, token: TOKEN };
    const listed = async () =>
      (await graph(httpPort, 'GET', '/beta/deviceManagement/managedDevices')).json.value as {
        id: string;
        serialNumber: string;
      }[];
    const audits = async () =>
      (await graph(httpPort, 'GET', '/beta/deviceManagement/remoteActionAudits')).json.value as {
        id: string;
        managedDeviceId: string;
        actionState: string;
      }[];
    const runAgents = async (name: string, enrollmentToken: string) => {
      // Each batch is its own agents process with its own seed and store: new devices, new serials.
      const own = join(dir, name);
      mkdirSync(own);
      writeFileSync(join(own, 'fleet.json'), JSON.stringify([{ platform: 'androidKnox', count: 3 }]));
      const p = startAgents({ dir: own, mqttPort, enrollmentToken, seed: name });
      procs.push(p);
      await waitForStderr(p, /fleetsim agents: \d+ devices/, `agents ${name}`);
      return p;
    };

    const seen = { devices: new Set<string>(), actions: new Set<string>() };
    const retireOne = async () => {
      const devices = await listed();
      const target = devices.find((d) => !seen.devices.has(`acted:${d.id}`))!;
      seen.devices.add(`acted:${target.id}`);
      const r = await graph(
        httpPort,
        'POST',
        `/beta/deviceManagement/managedDevices/${target.id}/retire`,
        {},
      );
      expect(r.status).toBe(204);
      await waitUntil(
        async () => (await audits()).every((a) => a.actionState === 'done'),
        'every retire to be done',
      );
    };

    let service = await startService(args);
    procs.push(service.proc);
    const batches: string[] = [];
    for (const [round, restart] of [
      ['a', null],
      ['b', 'SIGTERM'],
      ['c', 'SIGKILL'],
    ] as const) {
      if (restart === 'SIGTERM') await stop(service.proc);
      if (restart === 'SIGKILL') await kill9(service.proc);
      if (restart) {
        service = await startService(args);
        procs.push(service.proc);
      }
      batches.push(round);
      await runAgents(round, service.enrollmentToken);
      // Three new devices per round; one device per round retired (it leaves the list).
      await waitUntil(
        async () => (await listed()).length === batches.length * 3 - (batches.length - 1),
        `round ${round} enrolled`,
      );
      await retireOne();
    }
    const devices = await listed();
    const actions = await audits();
    // 9 devices enrolled in three rounds, 3 retired: 6 listed, each id unique.
    expect(devices).toHaveLength(6);
    expect(new Set(devices.map((d) => d.id)).size).toBe(6);
    expect(new Set(devices.map((d) => d.serialNumber)).size).toBe(6);
    // Every retire of every round is still there, done, with its own id.
    expect(actions).toHaveLength(3);
    expect(new Set(actions.map((a) => a.id)).size).toBe(3);
    expect(new Set(actions.map((a) => a.managedDeviceId)).size).toBe(3);
    expect(actions.map((a) => a.actionState)).toEqual(['done', 'done', 'done']);
    for (const d of devices) expect(actions.map((a) => a.managedDeviceId)).not.toContain(d.id);
  }, 180_000);
});

describe('fleetsim agents before the broker', () => {
  it('waits for a broker that is not up yet, saying so, and enrolls every device once it is', async () => {
    dir = mkdtempSync(join(tmpdir(), 'fleetsim-restart-'));
    const [httpPort, mqttPort] = [await freeLowPort(), await freeLowPort()];
    writeFileSync(
      join(dir, 'fleet.json'),
      JSON.stringify([{ platform: 'ios', count: 4, enrollmentType: 'companyPortal' }]),
    );
    // The enrollment token is fixed by the database, so make the service once to learn it, then stop it.
    const first = await startService({ dir, httpPort, mqttPort, speed: 600, token: TOKEN });
    procs.push(first.proc);
    await stop(first.proc);
    const agents = startAgents({ dir, mqttPort, enrollmentToken: first.enrollmentToken, seed: 'early' });
    procs.push(agents);
    await waitForStderr(
      agents,
      /waiting for the broker at mqtt:\/\/127\.0\.0\.1:\d+/,
      'the agents to say they wait',
    );
    expect(agents.child.exitCode).toBeNull();
    const service = await startService({ dir, httpPort, mqttPort, speed: 600, token: TOKEN });
    procs.push(service.proc);
    await waitForStderr(agents, /the broker at .* is up/, 'the agents to see the broker');
    // Managed: each device has its credentials and has checked in with them.
    const managed = async () =>
      (await graph(httpPort, 'GET', '/beta/deviceManagement/managedDevices')).json.value.filter(
        (d: { managementState: string }) => d.managementState === 'managed',
      ).length;
    await waitUntil(async () => (await managed()) === 4, 'four devices enrolled and checked in');
    await stop(agents);
    expect(agents.stderr.join('')).toMatch(/4\/4 enrolled/); // the closing summary
  }, 120_000);
});
