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
