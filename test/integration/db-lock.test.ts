import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { randomPort } from '../helpers/free-ports.ts';
import { type JsonProcess, spawnCli } from '../helpers/processes.ts';

/**
 * Issue 9: one writer per database. A second `fleetsim serve` or `fleetsim agents` on a database
 * another process holds exits at once with a message naming that process; once the holder is gone
 * (even by SIGKILL) the database can be opened again. Real `fleetsim` processes.
 */
let dir: string | null = null;
const running: JsonProcess[] = [];
afterEach(async () => {
  for (const p of running.splice(0)) if (p.child.exitCode === null) await p.kill9();
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = null;
});

/** Resolves with stderr once it matches `re`; fails after `timeoutMs` or when the process exits. */
function stderrMatching(p: JsonProcess, re: RegExp, timeoutMs = 30_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const text = () => p.stderr.join('');
    const timer = setTimeout(
      () => reject(new Error(`no ${re} within ${timeoutMs} ms:\n${text()}`)),
      timeoutMs,
    );
    const check = () => {
      if (!re.test(text())) return;
      clearTimeout(timer);
      resolve(text());
    };
    p.child.stderr!.on('data', check);
    void p.exited.then(() => {
      check();
      clearTimeout(timer);
      reject(new Error(`exited before ${re}:\n${text()}`));
    });
    check();
  });
}

/** `fleetsim serve` on random ports in range, again on others while a port is taken. */
async function serveOn(
  db: string,
  dataDir: string,
  clock: string[] = ['--clock', 'virtual'],
): Promise<{ p: JsonProcess; stderr: string }> {
  for (let attempt = 0; ; attempt++) {
    const p = spawnCli([
      'serve',
      ...['--port', String(randomPort()), '--mqtt-port', String(randomPort())],
      ...['--db', db, '--data-dir', dataDir, ...clock],
    ]);
    running.push(p);
    try {
      return { p, stderr: await stderrMatching(p, /enrollment token: +\S+/) };
    } catch (e) {
      if (!/EADDRINUSE/.test(p.stderr.join('')) || attempt >= 10) throw e;
    }
  }
}

describe('one writer per database', () => {
  it('a second serve on the same database exits, naming the process that holds it; after a SIGKILL it starts', async () => {
    dir = mkdtempSync(join(tmpdir(), 'fleetsim-lock-'));
    const db = join(dir, 'service.db');
    const first = await serveOn(db, join(dir, 'one'));

    const second = spawnCli([
      'serve',
      ...['--port', String(randomPort()), '--mqtt-port', String(randomPort())],
      ...['--db', db, '--data-dir', join(dir, 'two'), '--clock', 'virtual'],
    ]);
    running.push(second);
    const code = await second.exited;
    const said = second.stderr.join('');
    expect(code, said).toBe(3); // the surroundings (cli/errors.ts)
    expect(said).toBe(
      `fleetsim: ${db} is in use by fleetsim serve (pid ${first.p.child.pid}): one process writes a database at a time. Stop that process, or give this one another --db.\n`,
    );

    await first.p.kill9();
    const third = await serveOn(db, join(dir, 'one'));
    expect(third.stderr).toContain('fleetsim service running');
  }, 90_000);

  it('a second agents process on the same database exits, naming the first', async () => {
    dir = mkdtempSync(join(tmpdir(), 'fleetsim-lock-'));
    // Agents in another process follow the service's scaled clock.
    const { stderr } = await serveOn(join(dir, 'service.db'), dir, ['--speed', '600']);
    const broker = /MQTT: +(mqtt:\/\/\S+)/.exec(stderr)![1]!;
    const token = /enrollment token: +(\S+)/.exec(stderr)![1]!;
    const agentsDb = join(dir, 'agents.db');
    const args = [
      'agents',
      '--broker',
      broker,
      '--enrollment-token',
      token,
      '--fleet',
      'small',
      '--db',
      agentsDb,
    ];
    const first = spawnCli(args);
    running.push(first);
    await stderrMatching(first, /fleetsim agents: \d+ devices/);

    const second = spawnCli(args);
    running.push(second);
    expect(await second.exited, second.stderr.join('')).toBe(3);
    expect(first.child.exitCode).toBeNull(); // the holder runs on
    expect(second.stderr.join('')).toContain(
      `fleetsim: ${agentsDb} is in use by another fleetsim agents (pid ${first.child.pid})`,
    );
  }, 90_000);
});
