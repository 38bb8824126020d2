/**
 * `npm run bench [-- name…]`: every benchmark in one invocation, in the order below, each in its
 * own process (so one's heap and sockets do not distort the next). With names, only those run;
 * flags after the names go to each of them (`npm run bench -- month --devices 1000`).
 * Benchmarks measure and print; none passes or fails — speed targets live here, not in tests.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

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
let failed = 0;
for (const bench of BENCHES.filter((b) => wanted.length === 0 || wanted.includes(b.name))) {
  process.stdout.write(`\n== ${bench.name}: ${bench.about}\n`);
  const run = spawnSync(
    process.execPath,
    // The young-generation size `fleetsim run` starts with (bin/fleetsim.js), so figures match it.
    ['--max-semi-space-size=64', '--import', 'tsx', join(import.meta.dirname, bench.script), ...passed],
    {
      stdio: 'inherit',
    },
  );
  if (run.status !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);
