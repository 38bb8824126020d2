import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeLowPort } from '../tools/ports.ts';

/**
 * Start-up time of the fleetsim binary as a user meets it (`npm run bench`): wall time from
 * spawn to `--help` done, to `serve` printing its banner, to `run` finishing a small scenario.
 * Each from the build `npm ci` makes and from the TypeScript sources (FLEETSIM_FROM_SOURCE=1).
 * Targets (issue 12): --help and --version under 0.5 s, every command started under 1 s.
 */

const BIN = join(import.meta.dirname, '..', 'bin', 'fleetsim.js');
const RUNS = 5;

/** Wall milliseconds from spawn until `done(stderr)` holds or the process exits. */
function time(args: string[], env: NodeJS.ProcessEnv, done?: (stderr: string) => boolean): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      resolve(performance.now() - started);
      if (child.exitCode === null) child.kill('SIGTERM');
    };
    child.stderr.on('data', (d) => {
      stderr += d;
      if (done?.(stderr)) finish();
    });
    child.once('exit', (code) => {
      if (!finished && code !== 0) reject(new Error(`fleetsim ${args.join(' ')} exited ${code}\n${stderr}`));
      finish();
    });
  });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const dir = mkdtempSync(join(tmpdir(), 'fleetsim-bench-startup-'));
const cases: { name: string; run: (env: NodeJS.ProcessEnv) => Promise<number> }[] = [
  { name: '--help', run: (env) => time(['--help'], env) },
  { name: '--version', run: (env) => time(['--version'], env) },
  {
    name: 'serve (to its banner)',
    run: async (env) =>
      time(
        [
          'serve',
          '--db',
          ':memory:',
          '--data-dir',
          dir,
          '--port',
          String(await freeLowPort()),
          '--mqtt-port',
          String(await freeLowPort()),
        ],
        env,
        (s) => s.includes('Ctrl-C stops it'),
      ),
  },
  {
    name: 'run scenarios/user-enrollment.yaml',
    run: (env) => time(['run', 'scenarios/user-enrollment.yaml', '--reporter', 'json=-'], env),
  },
];

try {
  process.stdout.write(`fleetsim start-up, median of ${RUNS} runs (wall ms)\n`);
  process.stdout.write(`${'command'.padEnd(38)}${'build'.padStart(8)}${'sources'.padStart(10)}\n`);
  for (const c of cases) {
    const figures: number[] = [];
    for (const env of [process.env, { ...process.env, FLEETSIM_FROM_SOURCE: '1' }]) {
      const ms: number[] = [];
      for (let i = 0; i < RUNS; i++) ms.push(await c.run(env));
      figures.push(median(ms));
    }
    process.stdout.write(
      `${c.name.padEnd(38)}${figures[0]!.toFixed(0).padStart(8)}${figures[1]!.toFixed(0).padStart(10)}\n`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
