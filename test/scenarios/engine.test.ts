import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../scenarios/engine/load.ts';
import { htmlReport } from '../../scenarios/engine/reporters/html.ts';
import { jsonReport } from '../../scenarios/engine/reporters/json.ts';
import { junitReport } from '../../scenarios/engine/reporters/junit.ts';
import { type RunProgress, runScenario } from '../../scenarios/engine/runner.ts';
import { scenarioFiles } from '../helpers/scenario-files.ts';

const { dir, write, problemsOf, remove } = scenarioFiles('fleetsim-scenarios-');
afterAll(remove);

const SMALL = `name: small
specIds: [R-4]
seed: small
fleet:
  - { name: phones, platform: androidKnox, count: 2 }
timeline:
  - { at: 1h, id: retire, do: retire, target: { cohort: phones } }
expect:
  - { expect: acknowledged, of: retire, within: 15m }
  - { expect: completed, of: retire, within: 1h, status: done }
`;

describe('scenario validation', () => {
  it('names the file, line, column and field, with what was expected and what was given', () => {
    const path = write(
      'bad.yaml',
      SMALL.replace('count: 2', 'count: two').replace('within: 15m', 'within: soon'),
    );
    const problems = problemsOf(path);
    expect(problems).toEqual([
      expect.objectContaining({
        line: 5,
        column: 51,
        field: 'fleet.0.count',
        message: expect.stringMatching(/expected number.*given "two"/),
      }),
      expect.objectContaining({
        line: 9,
        column: 49,
        field: 'expect.0.within',
        message: expect.stringMatching(/a duration.*given "soon"/),
      }),
    ]);
    expect(() => loadScenarioFile(path)).toThrow(
      new RegExp(`${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:5:51: fleet\\.0\\.count`),
    );
  });

  it('reports YAML syntax errors with their position', () => {
    const problems = problemsOf(write('syntax.yaml', 'name: x\nfleet: [\n'));
    expect(problems[0]).toMatchObject({
      line: expect.any(Number),
      message: expect.stringMatching(/^YAML syntax error/),
    });
  });

  it('refuses unknown fields, unknown cohorts, out-of-range indexes, and expectations about unknown steps', () => {
    const text = SMALL.replace('seed: small', 'seed: small\ncolour: blue')
      .replace('target: { cohort: phones } }', 'target: { cohort: tablets } }')
      .replace('of: retire, within: 1h', 'of: wipe, within: 1h');
    const first = problemsOf(write('unknown.yaml', text));
    expect(first.map((p) => p.message)).toEqual([expect.stringMatching(/no field 'colour'/)]);
    const second = problemsOf(write('refs.yaml', text.replace('colour: blue\n', '')));
    expect(second.map((p) => `${p.field}: ${p.message}`)).toEqual([
      expect.stringMatching(
        /timeline\.0\.target\.cohort: expected one of the cohorts phones; given 'tablets'/,
      ),
      expect.stringMatching(/expect\.1\.of: expected the id of an action step \(retire\); given 'wipe'/),
    ]);
    const index = problemsOf(
      write(
        'index.yaml',
        SMALL.replace('target: { cohort: phones } }', 'target: { cohort: phones, index: 5 } }'),
      ),
    );
    expect(index[0]?.message).toMatch(/has 2 devices; given index 5/);
  });

  it('refuses an OS version the platform does not have', () => {
    expect(
      problemsOf(write('os.yaml', SMALL.replace('count: 2 }', 'count: 2, osVersion: "99" }')))[0]?.message,
    ).toMatch(/osVersion: expected one of/);
  });
});

describe('running scenarios', () => {
  it('the same scenario and seed give the same results and the same JSON report, apart from wall-clock time', async () => {
    const path = write('same.yaml', SMALL);
    const strip = (text: string) => text.replace(/"wallMs": \d+/g, '"wallMs": 0');
    const a = jsonReport([await runScenario(loadScenarioFile(path))]);
    const b = jsonReport([await runScenario(loadScenarioFile(path))]);
    expect(strip(a)).toBe(strip(b));
    const c = jsonReport([await runScenario(loadScenarioFile(path), { seed: 'other' })]);
    expect(strip(c)).not.toBe(strip(a));
  });

  it('a failed expectation shows what was expected and found, the devices, and the replay command', async () => {
    const path = write('fail.yaml', SMALL.replace('within: 1h, status: done', 'within: 1h, status: failed'));
    const result = await runScenario(loadScenarioFile(path));
    expect(result.passed).toBe(false);
    const failed = result.expectations.find((e) => !e.passed)!;
    expect(failed).toMatchObject({
      expected: 'failed within 1h',
      failingDevices: result.cohorts[0]!.serialNumbers,
    });
    expect(failed.found).toMatch(/0 of 2 as expected; .*: done/);
    expect(result.replay).toBe(`npx fleetsim run ${path} --seed small`);
    const junit = junitReport([result]);
    expect(junit).toContain('<testsuite name="small" tests="2" failures="1"');
    expect(junit).toMatch(/<failure message="expected failed within 1h; found 0 of 2 as expected/);
    const html = htmlReport([result]);
    expect(html).toContain('<h2>✗ small</h2>');
    expect(html).toContain('class="hist"');
    expect(html).toContain(result.cohorts[0]!.serialNumbers[0]!);
  });
  it('reports its progress as it goes: the agenda, then each step and each verdict in sim-time order', async () => {
    const path = write(
      'progress.yaml',
      `${SMALL}  - { expect: propagation, of: retire, percentile: 95, below: 15m }\n`.replace(
        '  - { at: 1h, id: retire',
        '  - { at: 30m, do: power, target: { cohort: phones, index: 1 }, on: false }\n  - { at: 1h, id: retire',
      ),
    );
    const seen: RunProgress[] = [];
    const result = await runScenario(loadScenarioFile(path), { onProgress: (p) => void seen.push(p) });
    expect(seen[0]).toEqual({
      kind: 'plan',
      startMs: expect.any(Number),
      endMs: 2 * 3600_000,
      items: [
        { kind: 'step', index: 0, atMs: 30 * 60_000 },
        { kind: 'step', index: 1, atMs: 3600_000 },
        { kind: 'expect', index: 0, atMs: 3600_000 + 15 * 60_000 },
        { kind: 'expect', index: 1, atMs: 2 * 3600_000 },
        { kind: 'expect', index: 2, atMs: null },
      ],
    });
    expect(
      seen.slice(1).map((p) => (p.kind === 'judged' ? `judged ${p.result.index}` : `${p.kind}`)),
    ).toEqual(['step', 'step', 'judged 0', 'judged 1', 'judged 2']);
    // The verdicts it reported are the ones the result holds (one phone was off, so none holds).
    const judged = seen.flatMap((p) => (p.kind === 'judged' ? [p.result] : []));
    expect(judged).toEqual(result.expectations);
    expect(judged.map((r) => r.passed)).toEqual([false, false, false]);
  });
});

describe('fleetsim run', () => {
  it('exits 0 when every expectation holds, 1 otherwise, 2 on an invalid file, and writes the reports it is asked for', async () => {
    const ok = write('ok.yaml', SMALL);
    const junit = join(dir, 'out', 'junit.xml');
    const json = join(dir, 'out', 'report.json');
    const html = join(dir, 'out', 'report.html');
    const { stdout } = await promisify(execFile)(process.execPath, [
      'bin/fleetsim.js',
      'run',
      ok,
      '--reporter',
      `console,junit=${junit},json=${json},html=${html}`,
    ]);
    expect(stdout).toMatch(/✓ small/);
    expect(stdout).toMatch(/1 of 1 scenarios passed \(2 expectations\)/);
    expect(readFileSync(junit, 'utf8')).toContain('failures="0"');
    expect(JSON.parse(readFileSync(json, 'utf8')).summary).toMatchObject({ scenarios: 1, passed: 1 });
    expect(readFileSync(html, 'utf8')).toContain('<!doctype html>');
    const bad = write('bad-run.yaml', SMALL.replace('status: done', 'status: failed'));
    const failed = await promisify(execFile)(process.execPath, ['bin/fleetsim.js', 'run', bad]).then(
      () => 0,
      (e: { code: number; stdout: string }) => (e.stdout.includes('replay: npx fleetsim run') ? e.code : -1),
    );
    expect(failed).toBe(1);
    const invalid = await promisify(execFile)(process.execPath, [
      'bin/fleetsim.js',
      'run',
      write('invalid.yaml', 'name: x\n'),
    ]).then(
      () => 0,
      (e: { code: number; stderr: string }) => (e.stderr.includes('nothing was run') ? e.code : -1),
    );
    expect(invalid, 'an invalid file is a usage error (exit 2), not a failed expectation').toBe(2);
  }, 60_000);

  it("fleetsim run --jobs starts its workers with node's own flags, as the command was started", async () => {
    const notes = join(dir, 'exec-argv.txt');
    const preload = write(
      'note-argv.cjs',
      `require('node:fs').appendFileSync(${JSON.stringify(notes)}, process.pid + ' ' + process.argv.includes('--worker') + ' ' + process.execArgv.includes('--heap-growing-percent=0') + '\\n');`,
    );
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        '--heap-growing-percent=0',
        'bin/fleetsim.js',
        'run',
        '--jobs',
        '2',
        write('j1.yaml', SMALL),
        write('j2.yaml', SMALL),
      ],
      { env: { ...process.env, NODE_OPTIONS: `--require=${preload}` } },
    );
    expect(stdout).toMatch(/2 of 2 scenarios passed/);
    // A line per process and per loader thread (a thread sees no argv): pid, is a worker, has the flag.
    const lines = readFileSync(notes, 'utf8').trim().split('\n');
    const workers = new Set(lines.filter((l) => l.endsWith(' true true')).map((l) => l.split(' ')[0]));
    expect(workers.size, 'two workers, each with the flag').toBe(2);
    expect(
      lines.every((l) => l.endsWith(' true')),
      'every process of the command has the flag',
    ).toBe(true);
  }, 60_000);

  it("fleetsim run's mqtt.js and aedes get the no-op `debug` (transport/quiet-debug.ts), built or not", async () => {
    // At exit, every process says which `debug` the packages loaded: a real logger keeps the
    // namespace it was made for; the no-op has none.
    const notes = join(dir, 'debug.txt');
    const preload = write(
      'note-debug.cjs',
      `const path = require.resolve('debug', { paths: [${JSON.stringify(process.cwd())}] });
process.on('exit', () => {
  const m = require.cache[path];
  require('node:fs').appendFileSync(${JSON.stringify(notes)}, (m === undefined ? 'unloaded' : m.exports('probe').namespace === 'probe' ? 'real' : 'quiet') + '\\n');
});`,
    );
    const scenario = write('d.yaml', SMALL);
    // From the sources, then as bin/fleetsim.js finds it: the build `npm ci` made (CI's case), or
    // the sources again where an edit made the build stale.
    for (const fromSource of ['1', '0']) {
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        NODE_OPTIONS: `--require=${preload}`,
        FLEETSIM_FROM_SOURCE: fromSource,
      };
      delete env.DEBUG;
      writeFileSync(notes, '');
      const { stdout } = await promisify(execFile)(process.execPath, ['bin/fleetsim.js', 'run', scenario], {
        env,
      });
      expect(stdout).toMatch(/1 of 1 scenarios passed/);
      expect(readFileSync(notes, 'utf8').trim().split('\n'), `FLEETSIM_FROM_SOURCE=${fromSource}`).toEqual([
        'quiet',
      ]);
    }
  }, 60_000);

  it("fleetsim run keeps node's young generation for up to 20,000 devices, and starts again with 64 MB for a bigger fleet", async () => {
    // A preload in every process of the command notes its pid, the flag it runs with and its
    // arguments; one that has the flag ends there with exit code 7 (the big fleet is not run: which
    // process would run it, with what, and whose exit the command ends with is what counts).
    const notes = join(dir, 'semi-space.txt');
    const preload = write(
      'note-flags.cjs',
      `const flag = (process.env.NODE_OPTIONS.match(/--max-semi-space-size=\\d+/) ?? ['none'])[0];
require('node:fs').appendFileSync(${JSON.stringify(notes)}, JSON.stringify([process.pid, flag, process.argv.slice(2)]) + '\\n');
if (flag !== 'none') process.exit(7);`,
    );
    const env = { ...process.env, NODE_OPTIONS: `--require=${preload}` };
    const runs = async (...args: string[]) => {
      writeFileSync(notes, '');
      const exit = await promisify(execFile)(process.execPath, ['bin/fleetsim.js', 'run', ...args], {
        env,
      }).then(
        () => 0,
        (e: { code: number }) => e.code,
      );
      // A loader thread runs the preload too, with no arguments of its own: left out.
      const lines = readFileSync(notes, 'utf8').trim().split('\n');
      const processes = new Map(
        lines
          .map((l) => JSON.parse(l) as [number, string, string[]])
          .filter(([, , argv]) => argv.length > 0)
          .map((p) => [p[0], p]),
      );
      return { exit, processes: [...processes.values()].map(([, flag, argv]) => ({ flag, argv })) };
    };
    // A fleet of these cohorts (at most 10,000 devices each).
    const fleetOf = (...counts: number[]) =>
      SMALL.replace(
        '  - { name: phones, platform: androidKnox, count: 2 }',
        counts
          .map(
            (n, i) => `  - { name: ${i === 0 ? 'phones' : `more${i}`}, platform: androidKnox, count: ${n} }`,
          )
          .join('\n'),
      );
    const big = fleetOf(10_000, 10_000, 1);
    const small = write('ok2.yaml', SMALL);
    expect(await runs(small), 'one process, no flag').toEqual({
      exit: 0,
      processes: [{ flag: 'none', argv: ['run', small] }],
    });
    const bigFile = write('big.yaml', big);
    expect(
      await runs(bigFile, '--seed', 's1', '--filter', 'small'),
      'the command, then the process it started with the flag and the same arguments, whose exit it ends with',
    ).toEqual({
      exit: 7,
      processes: [
        { flag: 'none', argv: ['run', bigFile, '--seed', 's1', '--filter', 'small'] },
        { flag: '--max-semi-space-size=64', argv: ['run', bigFile, '--seed', 's1', '--filter', 'small'] },
      ],
    });
  }, 60_000);
});
