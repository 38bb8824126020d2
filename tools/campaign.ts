/**
 * `npm run campaign`: the seeded crash campaign. For each seed and each victim (the service, the
 * agents), a fleet runs through `fleetsim serve` and `fleetsim agents` while the victim is killed
 * with SIGKILL at seeded points; then every count of lost, doubled, stuck and circumvented must
 * be zero. Options: --seeds N (default 20), --victim service|agents|both, --speed S, --keep.
 */
import { parseArgs } from 'node:util';
import { runSeed, type SeedResult, type Victim } from './campaign/run-seed.ts';

const { values } = parseArgs({
  options: {
    seeds: { type: 'string', default: '20' },
    victim: { type: 'string', default: 'both' },
    speed: { type: 'string', default: '1200' },
    first: { type: 'string', default: '1' },
    keep: { type: 'boolean', default: false },
  },
});
const seeds = Number(values.seeds);
const first = Number(values.first);
const victims: Victim[] = values.victim === 'both' ? ['service', 'agents'] : [values.victim as Victim];
if (!Number.isInteger(seeds) || seeds < 1 || !victims.every((v) => v === 'service' || v === 'agents')) {
  process.stderr.write(
    'usage: npm run campaign -- [--seeds N] [--victim service|agents|both] [--speed S] [--keep]\n',
  );
  process.exit(2);
}

const COLUMNS = [
  ['actionsRequested', 'requested'],
  ['actionsFinal', 'final'],
  ['actionsLost', 'lost'],
  ['actionsDuplicated', 'dup'],
  ['actionsStuck', 'stuck'],
  ['enrolled', 'enrolled'],
  ['devicesDuplicated', 'dup dev'],
  ['protectedWipes', 'protected'],
  ['protectedWipesCircumvented', 'circumv.'],
] as const;

const results: SeedResult[] = [];
console.log(`victim   seed  kills  ${COLUMNS.map(([, h]) => h.padStart(9)).join('')}   wall`);
for (const victim of victims) {
  for (let s = first; s < first + seeds; s++) {
    const r = await runSeed({ seed: String(s), victim, speed: Number(values.speed), keep: values.keep });
    results.push(r);
    console.log(
      `${victim.padEnd(8)} ${String(s).padStart(5)}  ${String(r.kills.length).padStart(5)}  ${COLUMNS.map(([k]) => String(r[k]).padStart(9)).join('')}  ${(r.wallMs / 1000).toFixed(1).padStart(5)} s`,
    );
    for (const p of r.problems) console.log(`    ${p}   (kept in ${r.dir})`);
  }
}
const total = (k: (typeof COLUMNS)[number][0]) => results.reduce((n, r) => n + r[k], 0);
console.log(`\ntotal over ${results.length} runs: ${COLUMNS.map(([k, h]) => `${h} ${total(k)}`).join(', ')}`);
const bad =
  total('actionsLost') +
  total('actionsDuplicated') +
  total('actionsStuck') +
  total('devicesDuplicated') +
  total('protectedWipesCircumvented');
const missing = results.reduce((n, r) => n + (r.devices - r.enrolled), 0);
console.log(
  bad + missing === 0
    ? 'verdict: 0 lost, 0 duplicated, 0 stuck, 0 circumvented'
    : `verdict: FAILED (${bad + missing} problems)`,
);
process.exit(bad + missing === 0 ? 0 : 1);
