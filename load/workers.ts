import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** The fleetsim binary; load/ and dist/ both sit one folder below the root. */
const BIN = fileURLToPath(new URL('../bin/fleetsim.js', import.meta.url));
/** A worker that says nothing this long after starting is reported, not waited for forever. */
export const READY_WAIT_MS = 60_000;

export type WorkerMessage = { type: string } & Record<string, unknown>;

/**
 * A worker process of a load run (`fleetsim load --worker service|agents`): its assignment goes as
 * one JSON line; its reports come back as JSON lines, the last `stats` kept.
 */
export class Worker {
  readonly child: ChildProcess;
  last: WorkerMessage | null = null;
  readonly exited: Promise<number | null>;
  private stderr = '';
  private readonly listeners = new Set<(m: WorkerMessage) => void>();

  constructor(
    readonly name: string,
    role: 'service' | 'agents',
    assignment: object,
  ) {
    this.child = spawn(process.execPath, [BIN, 'load', '--worker', role], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      let m: WorkerMessage;
      try {
        m = JSON.parse(line) as WorkerMessage;
      } catch {
        this.stderr += `${line}\n`;
        return;
      }
      if (m.type === 'stats') this.last = m;
      for (const l of this.listeners) l(m);
    });
    this.child.stderr!.on('data', (d) => {
      this.stderr = (this.stderr + d).slice(-4000);
    });
    this.child.stdin!.on('error', () => {}); // a worker that died is reported by `exited`
    this.child.stdin!.write(`${JSON.stringify(assignment)}\n`);
  }

  on(listener: (m: WorkerMessage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Its `ready` (or `failed`) message; rejects when it exits or stays silent first. */
  ready(): Promise<WorkerMessage> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(new Error(`${this.name} did not start within ${READY_WAIT_MS / 1000} s\n${this.stderr}`)),
        READY_WAIT_MS,
      );
      const off = this.on((m) => {
        if (m.type !== 'ready' && m.type !== 'failed') return;
        clearTimeout(timer);
        off();
        resolve(m);
      });
      void this.exited.then((code) => {
        clearTimeout(timer);
        reject(
          new Error(
            `${this.name} stopped (exit code ${code}) before it was ready: ${this.stderr.trim().slice(-600)}`,
          ),
        );
      });
    });
  }

  get errorOutput(): string {
    return this.stderr;
  }

  /** Asks it to stop (its final report comes first) and waits, killing it if it hangs. */
  async stop(graceMs = 15_000): Promise<void> {
    if (this.child.exitCode !== null) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}
