import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CohortSpec } from '../../agent/fleet/cohort.ts';
import type { DistributiveOmit } from '../../broker/service/types.ts';
import type { Command } from '../../sim/command.ts';
import { createRng, type Rng } from '../../sim/prng.ts';
import { freeLowPort } from '../ports.ts';
import { type Figures, measure, type Requested } from './measure.ts';
import { kill9, type Proc, startAgents, startService, stop, waitForStderr } from './processes.ts';

export type Victim = 'service' | 'agents';

export interface SeedOptions {
  seed: string;
  victim: Victim;
  /** Sim seconds per wall second for the service's scaled clock. */
  speed?: number;
  /** Keep the folder (databases, fleet file) for a look afterwards. */
  keep?: boolean;
  log?: (line: string) => void;
}

export interface SeedResult extends Figures {
  seed: string;
  victim: Victim;
  kills: { at: string; afterMs: number }[];
  wallMs: number;
  dir: string;
}

/** Every platform the campaign drives, none that re-enrolls by itself (ADE) so every record is one device. */
const FLEET: CohortSpec[] = [
  { platform: 'windows10', count: 10, osVersion: '22H2', enrollmentType: 'azureAdJoin' },
  { platform: 'ios', count: 4, enrollmentType: 'companyPortal' },
  { platform: 'androidKnox', count: 3 },
  { platform: 'androidDeviceAdmin', count: 2 },
  { platform: 'androidFullyManaged', count: 2 },
  { platform: 'macos', count: 3 },
];
const FLEET_SIZE = FLEET.reduce((n, c) => n + (c.count ?? 0), 0);

type Body = { path: string; body: object; command: DistributiveOmit<Command, 'id'>; protectedWipe?: boolean };
const WIPE = (options: Record<string, boolean>): Body => ({
  path: 'wipe',
  body: options,
  command: { type: 'wipe', options } as DistributiveOmit<Command, 'id'>,
  protectedWipe: options.useProtectedWipe === true,
});
const RETIRE: Body = { path: 'retire', body: {}, command: { type: 'retire' } };
/** What the admin may ask of each platform in a campaign (all accepted by the eligibility rules). */
const CHOICES: Record<string, Body[]> = {
  windows10: [
    WIPE({ useProtectedWipe: true }),
    WIPE({ useProtectedWipe: true }),
    WIPE({}),
    WIPE({ keepUserData: true }),
    RETIRE,
    {
      path: 'cleanWindowsDevice',
      body: { keepUserData: true },
      command: { type: 'freshStart', keepUserData: true },
    },
  ],
  ios: [RETIRE, WIPE({})],
  androidKnox: [RETIRE, WIPE({})],
  androidDeviceAdmin: [RETIRE, WIPE({})],
  androidFullyManaged: [WIPE({})],
  macos: [RETIRE, WIPE({})],
};

// biome-ignore lint/suspicious/noExplicitAny: Graph's JSON, read field by field where it is used
type GraphJson = any;

interface ListedDevice {
  id: string;
  serialNumber: string;
  operatingSystem: string;
  deviceEnrollmentType: string;
}

class Admin {
  constructor(
    private readonly base: string,
    private readonly token: string,
  ) {}

  /** Retries through a service that is down or restarting: an admin's script would. */
  async call(method: string, path: string, body?: object): Promise<{ status: number; json: GraphJson }> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        const res = await fetch(`${this.base}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${this.token}`,
            ...(body ? { 'content-type': 'application/json' } : {}),
          },
          ...(body ? { body: JSON.stringify(body) } : {}),
          signal: AbortSignal.timeout(10_000),
        });
        const text = await res.text();
        return { status: res.status, json: text ? JSON.parse(text) : null };
      } catch (e) {
        if (Date.now() > deadline) throw new Error(`${method} ${path}: ${(e as Error).message}`);
        await sleep(200);
      }
    }
  }

  async devices(): Promise<ListedDevice[]> {
    const r = await this.call('GET', '/beta/deviceManagement/managedDevices?$top=999');
    return r.status === 200 ? r.json.value : [];
  }

  async openActions(): Promise<number> {
    const r = await this.call('GET', '/beta/deviceManagement/remoteActionAudits');
    if (r.status !== 200) return Number.POSITIVE_INFINITY;
    return (r.json.value as { actionState: string }[]).filter((a) =>
      ['pending', 'active'].includes(a.actionState),
    ).length;
  }
}

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await sleep(250);
  }
  return false;
}

/**
 * One seed of a crash campaign: a service and an agents process on disk, the admin enrolling
 * and acting through Graph, and the victim killed with SIGKILL at seeded points — during
 * enrollment, during delivery, and while resets and results are under way — then started again
 * on the same databases. Measured from the stores after a clean stop.
 */
export async function runSeed(o: SeedOptions): Promise<SeedResult> {
  const started = Date.now();
  const rng = createRng(`campaign/${o.victim}/${o.seed}`);
  const say = o.log ?? (() => {});
  const dir = mkdtempSync(join(tmpdir(), `fleetsim-campaign-${o.victim}-`));
  writeFileSync(join(dir, 'fleet.json'), JSON.stringify(FLEET));
  const [httpPort, mqttPort] = [await freeLowPort(), await freeLowPort()];
  const token = `campaign-${o.seed}-token-0123456789`;
  const serviceArgs = { dir, httpPort, mqttPort, speed: o.speed ?? 1200, token };
  const admin = new Admin(`http://127.0.0.1:${httpPort}`, token);
  let service = await startService(serviceArgs);
  const agentArgs = { dir, mqttPort, enrollmentToken: service.enrollmentToken, seed: `campaign-${o.seed}` };
  let agents: Proc = startAgents(agentArgs);
  // Its devices are under way once it says how many it runs.
  await waitForStderr(agents, /fleetsim agents: \d+ devices/, 'the agents to start');
  const kills: SeedResult['kills'] = [];
  const crash = async (at: string, maxDelayMs: number) => {
    const afterMs = rng.int(0, maxDelayMs);
    await sleep(afterMs);
    kills.push({ at, afterMs });
    say(`  kill -9 ${o.victim} ${at} (+${afterMs} ms)`);
    if (o.victim === 'service') {
      await kill9(service.proc);
      service = await startService(serviceArgs);
    } else {
      await kill9(agents);
      agents = startAgents(agentArgs);
      await waitForStderr(agents, /fleetsim agents: \d+ devices/, 'the agents to start again');
    }
  };
  const requested: Requested[] = [];
  try {
    await crash('during enrollment', 1_500);
    if (!(await until(async () => (await admin.devices()).length >= FLEET_SIZE, 120_000)))
      say(`  not every device enrolled within 120 s`);
    const listed = await admin.devices();
    const plan = listed.map((d) => ({ device: d, choice: pick(rng, d) }));
    const crashAt = rng.int(0, plan.length - 1);
    for (const [i, { device, choice }] of plan.entries()) {
      if (i === crashAt) await crash('during delivery', 300);
      const times = rng.chance(0.2) ? 2 : 1; // some requests twice: the second must join the first
      let accepted = 0;
      for (let t = 0; t < times; t++) {
        const r = await admin.call(
          'POST',
          `/beta/deviceManagement/managedDevices/${device.id}/${choice.path}`,
          choice.body,
        );
        if (r.status === 204) accepted++;
        else say(`  ${device.serialNumber} ${choice.path}: ${r.status} ${JSON.stringify(r.json)}`);
      }
      requested.push({
        serialNumber: device.serialNumber,
        command: choice.command,
        protectedWipe: choice.protectedWipe === true,
        accepted,
      });
    }
    await crash('during resets and results', 3_000);
    const settled = await until(async () => (await admin.openActions()) === 0, 180_000);
    if (!settled) say('  actions still open after 180 s');
    // A moment for the last acknowledgements to reach the devices before the clean stop.
    await sleep(1_000);
  } finally {
    await stop(agents);
    await stop(service.proc);
  }
  const figures = measure(join(dir, 'service.db'), join(dir, 'agents.db'), FLEET_SIZE, requested);
  if (figures.enrolled < FLEET_SIZE)
    figures.problems.push(`${FLEET_SIZE - figures.enrolled} devices never enrolled`);
  if (!o.keep && figures.problems.length === 0) rmSync(dir, { recursive: true, force: true });
  return { seed: o.seed, victim: o.victim, kills, wallMs: Date.now() - started, dir, ...figures };
}

/** The admin's choice for a device, by what Graph says it is. */
function pick(rng: Rng, device: ListedDevice): Body {
  const os = device.operatingSystem.toLowerCase();
  const choices =
    os === 'android'
      ? device.deviceEnrollmentType === 'androidEnterpriseFullyManaged'
        ? CHOICES.androidFullyManaged!
        : CHOICES.androidKnox!
      : (CHOICES[os === 'windows' ? 'windows10' : os] ?? [WIPE({})]);
  return rng.pick(choices);
}
