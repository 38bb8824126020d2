import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../broker/server.ts';
import { EXIT_CODES } from '../../cli/errors.ts';
import { ScaledClock } from '../../sim/clock/scaled-clock.ts';
import { onFreePorts } from '../helpers/ports.ts';
import { runCli } from '../helpers/processes.ts';

/**
 * Every failure a new user meets, through the real binary: a documented exit code, one or two
 * lines naming what was wrong and how to fix it, a pointer to --help rather than the whole of it,
 * and never a stack frame (those only with --debug).
 */
let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fleetsim-cli-errors-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const STACK_FRAME = /^\s+at .+[(:]\d+/m;

function fleetFile(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

async function expectFailure(args: string[], exitCode: number, message: RegExp): Promise<string> {
  const r = await runCli(args, { cwd: dir });
  expect(r.stderr, 'no stack frame without --debug').not.toMatch(STACK_FRAME);
  expect(r.stderr).toMatch(message);
  expect(r.stderr.trimEnd().split('\n').length, r.stderr).toBeLessThanOrEqual(3);
  expect(r.code, r.stderr).toBe(exitCode);
  return r.stderr;
}

const USAGE = EXIT_CODES.usage.code;
const ENVIRONMENT = EXIT_CODES.environment.code;

describe('fleetsim on bad usage', () => {
  it('an unknown option: one line, a pointer to the command help, exit 2', async () => {
    const err = await expectFailure(['serve', '--prot', '80'], USAGE, /^fleetsim: unknown option '--prot'/);
    expect(err).toContain('(fleetsim serve --help lists its options)');
    expect(err).not.toContain('Usage:');
  });

  it('an unknown command points to fleetsim --help', async () => {
    const err = await expectFailure(['serv'], USAGE, /^fleetsim: unknown command 'serv'/);
    expect(err).toContain('(fleetsim --help lists the commands)');
  });

  it('a bad option value names the option and the value', async () => {
    await expectFailure(
      ['serve', '--port', '99999'],
      USAGE,
      /^fleetsim: --port must be a whole number from 0 to 65535, got "99999"$/m,
    );
  });

  it('a fleet file with a bad platform names the cohort, the field, the value and the choices', async () => {
    const file = fleetFile('bad-platform.json', '[{"name": "laptops", "platform": "windoze", "count": 2}]');
    await expectFailure(
      ['serve', '--fleet', file],
      USAGE,
      /--fleet .*bad-platform\.json: cohorts\[0\] \("laptops"\): platform: expected one of ios, macos, .*windows10; given "windoze"/,
    );
  });

  it('a fleet file with a count as text says so, in the { cohorts } form too', async () => {
    const file = fleetFile(
      'text-count.json',
      '{"cohorts": [{"platform": "ios", "count": 1}, {"platform": "ios", "count": "2"}]}',
    );
    await expectFailure(
      ['agents', '--broker', 'mqtt://127.0.0.1:1883', '--enrollment-token', 't', '--fleet', file],
      USAGE,
      /cohorts\[1\]: count: expected a number; given "2"/,
    );
  });

  it("a fleet file with an enrollment type the platform lacks lists the platform's types", async () => {
    const file = fleetFile(
      'bad-type.json',
      '[{"platform": "ios", "count": 1, "enrollmentType": "azureAdJoin"}]',
    );
    await expectFailure(
      ['serve', '--fleet', file],
      USAGE,
      /cohorts\[0\]: enrollmentType: expected for ios one of companyPortal, automatedDeviceEnrollment, appleUserEnrollment; given "azureAdJoin"/,
    );
  });

  it('a fleet file that is not JSON says where', async () => {
    const file = fleetFile('broken.json', '[\n  {"platform": "ios",\n]');
    await expectFailure(['serve', '--fleet', file], USAGE, /broken\.json: not JSON: .* at line 3, column 1/);
  });

  it('half of a TLS pair', async () => {
    await expectFailure(
      ['serve', '--tls-cert', 'cert.pem', '--db', ':memory:'],
      USAGE,
      /^fleetsim: --tls-cert and --tls-key go together: give both$/m,
    );
  });

  it('a scenario path that does not exist', async () => {
    await expectFailure(
      ['run', 'no-such-dir/'],
      USAGE,
      /^fleetsim: run: no such file or directory: no-such-dir\/$/m,
    );
  });
});

describe('fleetsim when its surroundings refuse', () => {
  let taken: Server;
  let port = 0;
  beforeAll(async () => {
    taken = await onFreePorts(1, ([p]) => {
      const s = createServer();
      return new Promise<Server>((resolve, reject) => {
        s.once('error', reject);
        s.listen(p, '127.0.0.1', () => resolve(s));
      });
    });
    port = (taken.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => taken.close(() => resolve())));

  it('an HTTP port in use names --port and a port free now; exit 3', async () => {
    const err = await expectFailure(
      ['serve', '--port', String(port), '--mqtt-port', String(port + 1), '--db', ':memory:'],
      ENVIRONMENT,
      new RegExp(
        `^fleetsim: port ${port} on 127\\.0\\.0\\.1 is already in use .*: try --port \\d+ \\(free now\\), or --port 0 for any free port$`,
        'm',
      ),
    );
    expect(err).not.toContain('EADDRINUSE');
  });

  it('an MQTT port in use names --mqtt-port', async () => {
    await expectFailure(
      ['serve', '--port', String(port + 1), '--mqtt-port', String(port), '--db', ':memory:'],
      ENVIRONMENT,
      new RegExp(`port ${port} .* in use .*try --mqtt-port \\d+`),
    );
  });

  it('a data dir where a file is names the path; exit 3', async () => {
    const file = fleetFile('plain-file', '');
    await expectFailure(
      ['serve', '--db', join(file, 'fleetsim.db')],
      ENVIRONMENT,
      /^fleetsim: cannot create \S+plain-file: a file is already there \(a directory was needed\)$/m,
    );
  });

  it('the same failure with --debug adds the stack', async () => {
    const r = await runCli(['serve', '--port', String(port), '--db', ':memory:', '--debug'], { cwd: dir });
    expect(r.code).toBe(ENVIRONMENT);
    expect(r.stderr).toMatch(STACK_FRAME);
  });

  it('a wrong enrollment token names --enrollment-token instead of "Bad username or password"; exit 3', async () => {
    const server = await onFreePorts(1, ([mqttPort]) =>
      startServer({
        clock: ScaledClock.startingAt(Date.UTC(2026, 0, 5), 60),
        seed: 's',
        db: ':memory:',
        mqttPort: mqttPort!,
      }),
    );
    try {
      await expectFailure(
        [
          'agents',
          '--broker',
          server.mqttUrl!,
          '--enrollment-token',
          'not-the-token',
          '--fleet',
          'small',
          '--data-dir',
          join(dir, 'wrong-token'),
        ],
        ENVIRONMENT,
        /^fleetsim: the broker at mqtt:\/\/127\.0\.0\.1:\d+ refused the enrollment token: pass the one fleetsim serve printed with --enrollment-token$/m,
      );
    } finally {
      await server.close();
    }
  }, 30_000);
});

describe('fleetsim --help and --version', () => {
  it('--version prints the package version', async () => {
    const r = await runCli(['--version']);
    const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    expect(r).toMatchObject({ code: 0, stdout: `${version}\n` });
  });

  it('--help lists the exit codes as the README does, and each preset with what it holds', async () => {
    const help = (await runCli(['--help'])).stdout;
    const readme = readFileSync('README.md', 'utf8');
    for (const e of Object.values(EXIT_CODES)) {
      expect(help).toContain(`${String(e.code).padEnd(4)}${e.means}`);
      expect(readme, `README lists exit code ${e.code}`).toContain(`| ${e.code} `);
    }
    const serveHelp = (await runCli(['serve', '--help'])).stdout;
    expect(serveHelp).toMatch(/every-kind +one device of every platform × enrollment mode/);
    expect(serveHelp).toMatch(/every-platform +two devices of every platform/);
  });
});
