/**
 * `npm run bench [-- name…]`: every benchmark in one invocation, in the order below, each in its
 * own process (so one's heap and sockets do not distort the next). With names, only those run;
 * flags after the names go to each of them (`npm run bench -- month --devices 1000`).
 * Benchmarks measure and print; none passes or fails — speed targets live here, not in tests.
 *
 * What runs is built as users run it: the fleetsim command (dist/, what `npm ci` builds, which
 * the benchmarks' `fleetsim` processes start) and each benchmark script, bundled the same way.
 * Through tsx, every function kept a name property of its own (esbuild's keepNames): ~2.4 KB per
 * device of the month bench's heap (10,000 devices: 33 KB per device against 31 built).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { BUNDLE_OPTIONS } from '../tools/bundle-options.ts';

/** One row a benchmark: its name on the command line, its script, what it measures. */
const BENCHES: { name: string; script: string; about: string }[] = [
  { name: 'startup', script: 'startup.ts', about: 'start-up of --help, serve and run (issue 12)' },
  {
    name: 'month',
    script: 'virtual-month.ts',
    about: 'a month of a big fleet on the virtual clock (issue 11)',
  },
  { name: 'tcp', script: 'tcp.ts', about: 'fleetsim over TCP beside a bare aedes + mqtt.js loop (issue 10)' },
];

// Names come first; everything from the first flag on goes to each benchmark that runs.
const args = process.argv.slice(2);
const firstFlag = args.findIndex((a) => a.startsWith('-'));
const wanted = firstFlag === -1 ? args : args.slice(0, firstFlag);
const passed = firstFlag === -1 ? [] : args.slice(firstFlag);
const unknown = wanted.filter((w) => !BENCHES.some((b) => b.name === w));
if (unknown.length > 0) {
  process.stderr.write(
    `npm run bench: no benchmark named ${unknown.join(', ')}; there are: ${BENCHES.map((b) => b.name).join(', ')}\n`,
  );
  process.exit(2);
}
/** Whether a process of this pid runs (signal 0 only asks). */
function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const chosen = BENCHES.filter((b) => wanted.length === 0 || wanted.includes(b.name));
const root = join(import.meta.dirname, '..');
const built = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'tools/build-cli.ts')], {
  stdio: 'inherit',
});
if (built.status !== 0) process.exit(1);
// Inside the tree, so the bundles find the packages in node_modules; not in dist/, which every
// run's build above removes first, and a folder a run, since each run removes its own at the end
// (two runs at once had each removed the other's bundles).
const outs = join(root, 'node_modules', '.cache', 'fleetsim-bench');
const out = join(outs, String(process.pid));
// A run stopped before its end left its folder: removed here once its process is gone.
for (const pid of existsSync(outs) ? readdirSync(outs) : [])
  if (!alive(Number(pid))) rmSync(join(outs, pid), { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: {
    ...Object.fromEntries(chosen.map((b) => [b.name, `bench/${b.script}`])),
    'quiet-debug': 'transport/quiet-debug.ts',
  },
  outdir: out,
  ...BUNDLE_OPTIONS,
});
// Inside node_modules, node no longer reads the project's package.json: the bundles are ES modules
// only by this one (node's guessing from the syntax is off in some versions the project supports).
writeFileSync(join(out, 'package.json'), '{ "type": "module" }\n');
let failed = 0;
for (const bench of chosen) {
  process.stdout.write(`\n== ${bench.name}: ${bench.about}\n`);
  const run = spawnSync(
    process.execPath,
    // quiet-debug ahead of the bundle, as bin/fleetsim.js loads it (a bundle's packages load first).
    // No young-generation size: each benchmark takes the one `fleetsim run` would for its fleet.
    ['--import', pathToFileURL(join(out, 'quiet-debug.js')).href, join(out, `${bench.name}.js`), ...passed],
    { stdio: 'inherit' },
  );
  if (run.status !== 0) failed++;
}
rmSync(out, { recursive: true, force: true });
process.exit(failed === 0 ? 0 : 1);
