import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { freeLowPort } from '../../tools/ports.ts';

/** A child process whose stdout is JSON lines, collected as they come. */
export class JsonProcess {
  readonly lines: Record<string, unknown>[] = [];
  readonly stderr: string[] = [];
  private waiters: (() => void)[] = [];
  readonly exited: Promise<number | null>;

  constructor(readonly child: ChildProcess) {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        this.lines.push(JSON.parse(line));
      } catch {
        this.stderr.push(`(stdout) ${line}`);
      }
      for (const w of this.waiters.splice(0)) w();
    });
    child.stderr!.on('data', (d) => this.stderr.push(String(d)));
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  /** Waits, event by event, until `find` returns something; fails after `timeoutMs` of wall time. */
  waitFor<T>(
    find: (lines: Record<string, unknown>[]) => T | undefined | null | false,
    what: string,
    timeoutMs = 30_000,
  ): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(
          new Error(
            `timed out after ${timeoutMs} ms waiting for ${what}\nstderr:\n${this.stderr.join('').slice(-2000)}`,
          ),
        );
      }, timeoutMs);
      const check = () => {
        const found = find(this.lines);
        if (found) {
          clearTimeout(timer);
          resolve(found);
        } else this.waiters.push(check);
      };
      check();
    });
  }

  send(o: object): void {
    this.child.stdin!.write(`${JSON.stringify(o)}\n`);
  }

  kill9(): Promise<number | null> {
    this.child.kill('SIGKILL');
    return this.exited;
  }
}

const TSX = ['--import', 'tsx'];

export function spawnTs(script: string, args: string[]): JsonProcess {
  return new JsonProcess(
    spawn(process.execPath, [...TSX, script, ...args], { stdio: ['pipe', 'pipe', 'pipe'] }),
  );
}

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'fleetsim.js');

/** The fleetsim binary in a child process, as a user starts it (from `cwd` when given). */
export function spawnCli(args: string[], options: { cwd?: string } = {}): JsonProcess {
  return new JsonProcess(
    spawn(process.execPath, [BIN, ...args], { stdio: ['pipe', 'pipe', 'pipe'], ...options }),
  );
}

/** Runs the fleetsim binary to its end: its exit code and everything it printed. */
export function runCli(
  args: string[],
  options: { cwd?: string } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], options, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
    );
  });
}

/** A free TCP port on loopback below the ephemeral range (a restarted service can come back on it). */
export const freePort = freeLowPort;
