import { readFile, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';

/**
 * Builds the fleetsim command into dist/ (gitignored), so it starts without compiling TypeScript
 * on every run: `npm ci` runs this as the `prepare` script. bin/fleetsim.js uses the build only
 * while no source it was built from is newer (dist/inputs.json lists them), and the TypeScript
 * sources through tsx otherwise, so an edit is never hidden behind a stale build.
 */

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = `${root}dist`;

/**
 * Each module keeps its own import.meta.url and import.meta.dirname, as if run from source:
 * code that finds files next to itself (the dashboard's page, the scenario workers' root) finds
 * them in the tree, not in dist/.
 */
const keepModuleLocation: Plugin = {
  name: 'keep-module-location',
  setup(b) {
    b.onLoad({ filter: /\.tsx?$/ }, async (args) => {
      if (args.path.includes('node_modules')) return undefined;
      const source = await readFile(args.path, 'utf8');
      const contents = source
        .replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href))
        .replaceAll('import.meta.dirname', JSON.stringify(dirname(args.path)));
      return { contents, loader: args.path.endsWith('x') ? 'tsx' : 'ts' };
    });
  },
};

const startedAtMs = Date.now();
await rm(dist, { recursive: true, force: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: { main: 'cli/main.ts' },
  outdir: dist,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  metafile: true,
  logLevel: 'warning',
  plugins: [keepModuleLocation],
});
const inputs = Object.keys(result.metafile.inputs).filter((p) => !p.includes('node_modules'));
// Recorded as the time the build started: a file edited while it ran counts as newer.
await writeFile(`${dist}/inputs.json`, `${JSON.stringify({ builtAtMs: startedAtMs, inputs })}\n`);
process.stderr.write(`fleetsim: built dist/ from ${inputs.length} sources\n`);
