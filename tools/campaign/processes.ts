import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The two processes a crash campaign kills: `fleetsim serve` and `fleetsim agents`, started
 * through the real binary as a user would, on the same databases every time.
 */
const BIN = join(import.meta.dirname, '..', '..', 'bin', 'fleetsim.js');

export interface Proc {
  child: ChildProcess;
  stderr: string[];
  exited: Promise<number | null>;
}

function start(args: string[], env: Record<string, string> = {}, nodeArgs: string[] = []): Proc {
  const child = spawn(process.execPath, [...nodeArgs, BIN, ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, ...env },
  });
  const stderr: string[] = [];
  child.stderr!.on('data', (d) => stderr.push(String(d)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, stderr, exited };
}

/** Waits (bounded, real time) until the process's stderr shows `pattern`; returns the match. */
export async function waitForStderr(p: Proc, pattern: RegExp, what: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const m = pattern.exec(p.stderr.join(''));
    if (m) return m;
    if (p.child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${what}: not seen within ${timeoutMs} ms\n${p.stderr.join('').slice(-2000)}`);
}

export interface ServiceArgs {
  dir: string;
  httpPort: number;
  mqttPort: number;
  speed: number;
  token: string;
  /** Flags for node itself (`--cpu-prof`, which NODE_OPTIONS does not take). */
  nodeArgs?: string[];
}

export async function startService(a: ServiceArgs): Promise<{ proc: Proc; enrollmentToken: string }> {
  const proc = start(
    [
      'serve',
      '--clock',
      'scaled',
      '--speed',
      String(a.speed),
      '--port',
      String(a.httpPort),
      '--mqtt-port',
      String(a.mqttPort),
      '--db',
      join(a.dir, 'service.db'),
      '--data-dir',
      a.dir,
      '--seed',
      'campaign-service',
    ],
    { FLEETSIM_TOKEN: a.token },
    a.nodeArgs,
  );
  const m = await waitForStderr(proc, /enrollment token:\s+(\S+)/, 'the service to start');
  return { proc, enrollmentToken: m[1]! };
}

export function startAgents(a: {
  dir: string;
  mqttPort: number;
  enrollmentToken: string;
  seed: string;
  nodeArgs?: string[];
}): Proc {
  return start(
    [
      'agents',
      '--broker',
      `mqtt://127.0.0.1:${a.mqttPort}`,
      '--enrollment-token',
      a.enrollmentToken,
      '--fleet',
      join(a.dir, 'fleet.json'),
      '--db',
      join(a.dir, 'agents.db'),
      '--seed',
      a.seed,
    ],
    {},
    a.nodeArgs,
  );
}

export async function kill9(p: Proc): Promise<void> {
  if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
  await p.exited;
}

/** A clean stop (SIGTERM), so the last state is on disk before it is measured. */
export async function stop(p: Proc): Promise<void> {
  if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGTERM');
  const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 15_000));
  if ((await Promise.race([p.exited, timeout])) === 'timeout') await kill9(p);
}

/** A process's resident memory in KB from /proc: now (VmRSS) or its peak (VmHWM); 0 once it is gone. */
export function rssKb(pid: number | undefined, field: 'VmRSS' | 'VmHWM' = 'VmRSS'): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** CPU seconds (user + system) a process has used so far, from /proc; 0 once it is gone. */
export function cpuSeconds(pid: number | undefined): number {
  try {
    // Fields after the command name (which may hold spaces) start at the state, field 3.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    const CLOCK_TICKS_PER_S = 100; // USER_HZ on Linux
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_S;
  } catch {
    return 0;
  }
}
