#!/usr/bin/env node
// Runs the build `npm ci` makes (dist/, by tools/build-cli.ts), which starts in a fraction of the
// time; the TypeScript sources through tsx when there is no build or a source is newer than it,
// so `npx fleetsim` needs no build step and an edit is never hidden behind a stale build.
import { readFileSync, statSync } from 'node:fs';

const root = new URL('../', import.meta.url);

function buildIsFresh() {
  if (process.env.FLEETSIM_FROM_SOURCE === '1') return false;
  try {
    const { builtAtMs, inputs } = JSON.parse(readFileSync(new URL('dist/inputs.json', root), 'utf8'));
    return inputs.every((file) => statSync(new URL(file, root)).mtimeMs <= builtAtMs);
  } catch {
    return false; // no build, or a source it was made from is gone
  }
}

/**
 * `fleetsim run` drives whole fleets on the virtual clock, where a check-in's short-lived garbage
 * made collection the largest single cost: a bigger young generation (V8's semi-space; 16 MB by
 * default) collects it far less often, and costs its size twice over in memory. 32 MB was tried
 * (`npm run bench -- month`, old generation growing by half): peak RSS per device at 10,000
 * devices × 7 days 59–63 KB against 63–76, but at 50,000 devices 49–52 µs of CPU per check-in
 * against 44–45 (three runs each), the cost growing with the fleet more than it did. The flag
 * counts only at start-up, so `run` starts itself again with it (in NODE_OPTIONS, which its --jobs
 * workers inherit), unless it is already set.
 */
const SEMI_SPACE_FLAG = '--max-semi-space-size';
const SEMI_SPACE_MB = 64;

function runsFleets(args) {
  return args[0] === 'run' && !args.includes('--help') && !args.includes('-h');
}

async function againWithBigYoungGeneration(args) {
  const { spawn } = await import('node:child_process');
  const nodeOptions = `${process.env.NODE_OPTIONS ?? ''} ${SEMI_SPACE_FLAG}=${SEMI_SPACE_MB}`.trim();
  const child = spawn(process.execPath, [...process.execArgv, process.argv[1], ...args], {
    stdio: 'inherit',
    env: { ...process.env, NODE_OPTIONS: nodeOptions },
  });
  // The child does the work; a signal meant for the command goes to it, and its exit is ours.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  const [code, signal] = await new Promise((resolve) => child.on('exit', (c, s) => resolve([c, s])));
  if (signal) {
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  }
  process.exit(code ?? 1);
}

const args = process.argv.slice(2);
const hasSemiSpace = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].some((a) =>
  a.startsWith(SEMI_SPACE_FLAG),
);
if (runsFleets(args) && !hasSemiSpace) await againWithBigYoungGeneration(args);

if (process.argv.includes('--debug')) process.setSourceMapsEnabled(true);
// quiet-debug must run before any module loads mqtt or aedes, and a bundle evaluates every package
// it imports before any of its own code: so it is loaded first, on its own.
let main;
if (buildIsFresh()) {
  await import('../dist/quiet-debug.js');
  ({ main } = await import('../dist/main.js'));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../transport/quiet-debug.ts');
  ({ main } = await import('../cli/main.ts'));
}
await main(process.argv);
