import { rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { BUNDLE_OPTIONS } from './bundle-options.ts';

/**
 * Builds the fleetsim command into dist/ (gitignored), so it starts without compiling TypeScript
 * on every run: `npm ci` runs this as the `prepare` script. bin/fleetsim.js uses the build only
 * while no source it was built from is newer (dist/inputs.json lists them), and the TypeScript
 * sources through tsx otherwise, so an edit is never hidden behind a stale build.
 */

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = `${root}dist`;

const startedAtMs = Date.now();
await rm(dist, { recursive: true, force: true });
const result = await build({
  absWorkingDir: root,
  // quiet-debug is an entry of its own: bin/fleetsim.js loads it before main (see that file).
  entryPoints: { 'quiet-debug': 'transport/quiet-debug.ts', main: 'cli/main.ts' },
  outdir: dist,
  ...BUNDLE_OPTIONS,
  sourcemap: 'linked',
  metafile: true,
});
const inputs = Object.keys(result.metafile.inputs).filter((p) => !p.includes('node_modules'));
// Recorded as the time the build started: a file edited while it ran counts as newer.
await writeFile(`${dist}/inputs.json`, `${JSON.stringify({ builtAtMs: startedAtMs, inputs })}\n`);
process.stderr.write(`fleetsim: built dist/ from ${inputs.length} sources\n`);
