import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, type JsonProcess, spawnCli, spawnTs } from '../helpers/processes.ts';

/**
 * Fault tests with real processes on the scaled clock (the virtual clock lives in one process):
 * SIGKILL the service, or the agents, in the middle of the run, start them again on the same
 * databases, and check that nothing is lost and that wipes behave as W-PROT-1 and W-PROT-2 say.
 */
const SPEED = '2000'; // 15 sim-minutes in 0.45 s; a PC reset (25–70 sim-minutes) in 0.75–2.1 s
type Line = Record<string, unknown>;

let dir = '';
const procs: JsonProcess[] = [];
afterEach(async () => {
  for (const p of procs.splice(0)) if (p.child.exitCode === null) await p.kill9();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function startService(db: string, port: number) {
  const p = spawnTs('test/reliability/service-process.ts', [db, String(port), SPEED]);
  procs.push(p);
  const ready = await p.waitFor((ls) => ls.find((l) => l.type === 'ready'), 'the service to be ready');
  return { p, mqttUrl: ready.mqttUrl as string, token: ready.enrollmentToken as string };
}

function startAgents(mqttUrl: string, token: string, fleetFile: string, db: string) {
  const p = spawnCli([
    'agents',
    '--broker',
    mqttUrl,
    '--enrollment-token',
    token,
    '--fleet',
    fleetFile,
    '--db',
    db,
    '--seed',
    'faults',
    '--event-log',
    '-',
  ]);
  procs.push(p);
  return p;
}

const managedCount = (ls: Line[]) =>
  ls.filter((l) => l.type === 'device.managementState' && l.to === 'managed' && l.from === 'discovered')
    .length;
const enrolledSerials = (ls: Line[]) =>
  ls.filter((l) => l.type === 'device.enrolled').map((l) => l.serialNumber as string);

async function request(service: JsonProcess, serialNumber: string, req: object): Promise<string> {
  service.send({ op: 'action', serialNumber, request: req });
  const reply = await service.waitFor(
    (ls) => ls.find((l) => l.type === 'reply' && l.serialNumber === serialNumber && !procsSeen.has(l)),
    `a reply for ${serialNumber}`,
  );
  procsSeen.add(reply);
  const result = reply.result as { ok: boolean; actionId?: string };
  expect(result.ok).toBe(true);
  return result.actionId!;
}
const procsSeen = new WeakSet<Line>();

const completed = (ls: Line[], actionId: string) =>
  ls.find((l) => l.type === 'action.completed' && l.actionId === actionId);

describe('fault tests with real processes', () => {
  it('SIGKILL the service mid-run: nothing queued or issued is lost; devices reconnect and finish', async () => {
    dir = mkdtempSync(join(tmpdir(), 'fleetsim-faults-'));
    const port = await freePort();
    const fleetFile = join(dir, 'fleet.json');
    writeFileSync(
      fleetFile,
      JSON.stringify([
        { platform: 'windows10', count: 3, osVersion: '22H2' },
        { platform: 'ios', count: 2, enrollmentType: 'companyPortal' },
      ]),
    );
    const first = await startService(join(dir, 'service.db'), port);
    startAgents(first.mqttUrl, first.token, fleetFile, join(dir, 'agents.db'));
    await first.p.waitFor((ls) => managedCount(ls) === 5, 'five devices enrolled and managed');
    const serials = enrolledSerials(first.p.lines);
    const platformOf = new Map(
      first.p.lines
        .filter((l) => l.type === 'device.enrolled')
        .map((l) => [l.serialNumber as string, l.platform as string]),
    );
    const actions: string[] = [];
    for (const serial of serials) {
      const req =
        platformOf.get(serial) === 'windows10'
          ? { action: 'wipe', options: { keepUserData: true } }
          : { action: 'retire' };
      actions.push(await request(first.p, serial, req));
    }
    expect(await first.p.kill9()).toBeNull(); // killed by the signal

    const second = await startService(join(dir, 'service.db'), port);
    expect(second.token).toBe(first.token); // credentials survive in the database
    const all = () => [...first.p.lines, ...second.p.lines];
    await second.p.waitFor(
      () => actions.every((id) => completed(all(), id)),
      'every action to complete after the restart',
    );
    for (const id of actions) expect(completed(all(), id)).toMatchObject({ status: 'done' });
    // The restarted service did real work: it saw the devices come back.
    expect(second.p.lines.some((l) => l.type === 'device.checkIn' && l.reason === 'restart')).toBe(true);
  }, 60_000);

  it('SIGKILL the agents mid-wipe: the protected wipe resumes after restart and completes (W-PROT-1); the unprotected one rolls back and fails (W-PROT-2)', async () => {
    dir = mkdtempSync(join(tmpdir(), 'fleetsim-faults-'));
    const port = await freePort();
    const fleetFile = join(dir, 'fleet.json');
    writeFileSync(
      fleetFile,
      JSON.stringify([{ platform: 'windows10', count: 2, osVersion: '22H2', enrollmentType: 'azureAdJoin' }]),
    );
    const service = await startService(join(dir, 'service.db'), port);
    const agentsDb = join(dir, 'agents.db');
    const agents1 = startAgents(service.mqttUrl, service.token, fleetFile, agentsDb);
    await service.p.waitFor((ls) => managedCount(ls) === 2, 'two devices enrolled and managed');
    const [a, b] = enrolledSerials(service.p.lines);
    const protectedWipe = await request(service.p, a!, {
      action: 'wipe',
      options: { useProtectedWipe: true },
    });
    const plainWipe = await request(service.p, b!, { action: 'wipe', options: {} });
    const acked = (id: string) => (ls: Line[]) =>
      ls.find((l) => l.type === 'action.acknowledged' && l.actionId === id);
    await service.p.waitFor(acked(protectedWipe), 'the protected wipe to reach its device');
    await service.p.waitFor(acked(plainWipe), 'the plain wipe to reach its device');
    await agents1.waitFor(
      (ls) =>
        ls.filter((l) => l.type === 'agent.model' && (l.event as Line).type === 'resetStarted').length === 2,
      'both resets to start',
    );
    expect(completed(service.p.lines, protectedWipe)).toBeUndefined();
    await agents1.kill9(); // the agent process dies: to the devices, a power cut in the middle of the reset

    const agents2 = startAgents(service.mqttUrl, service.token, fleetFile, agentsDb);
    await service.p.waitFor(
      (ls) => completed(ls, protectedWipe) && completed(ls, plainWipe),
      'both wipes to end',
    );
    expect(completed(service.p.lines, protectedWipe)).toMatchObject({ status: 'done', rules: ['W-1'] });
    expect(completed(service.p.lines, plainWipe)).toMatchObject({
      status: 'failed',
      reasonCode: 'powerLostDuringWipe',
    });
    // The restarted agents resumed the protected reset (attempt 2) and rolled the other back.
    const model = agents2.lines
      .filter((l) => l.type === 'agent.model')
      .map((l) => [l.serialNumber, (l.event as Line).type, (l.event as Line).attempt]);
    expect(model).toContainEqual([a, 'resetStarted', 2]);
    expect(model).toContainEqual([b, 'resetRolledBack', undefined]);
    // The rolled-back device is still managed and keeps checking in.
    await service.p.waitFor(
      (ls) => ls.find((l) => l.type === 'device.managementState' && l.to === 'wipeFailed'),
      'the failed wipe to show as wipeFailed',
    );
  }, 60_000);
});
