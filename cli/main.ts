import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { describePresets, FLEET_PRESETS } from '../agent/fleet/fleet-file.ts';
import { EXIT_CODES, failureText } from './errors.ts';
import { leanHeap } from './lean-heap.ts';
import {
  brokerUrlOption,
  collect,
  DEFAULT_JOBS,
  intOption,
  loadFleet,
  percentOption,
  publicUrlOption,
  rateOption,
  speedOption,
} from './options.ts';

/*
 * Only commander and the option parsers load up front: each command's code is imported when it
 * runs, so --help and --version answer at once.
 */

function version(): string {
  return (
    JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
  ).version;
}

const PRESETS_HELP = `\nFleet presets (--fleet NAME):\n${describePresets('  ')}\n`;

export function buildProgram(): Command {
  const program = new Command()
    .name('fleetsim')
    .description('Device-agent simulator and fleet emulator for Microsoft Intune remote actions.')
    .version(version(), '-V, --version', 'print the version')
    .option('--debug', 'on an error, print its stack too')
    .exitOverride()
    .configureOutput({
      // Our option parsers name the option and the value themselves: commander's preamble only repeats them.
      outputError: (text, write) =>
        write(
          `fleetsim: ${text.replace(/^error: /, '').replace(/^option '(--[a-z-]+)[^']*' argument '.*?' is invalid\. (?=\1)/s, '')}`,
        ),
    })
    .addHelpText(
      'after',
      `
Exit codes:
${Object.values(EXIT_CODES)
  .map((e) => `  ${String(e.code).padEnd(4)}${e.means}`)
  .join('\n')}`,
    );

  program
    .command('demo')
    .description(
      'The live demo: service, embedded broker and a few hundred devices of every platform on a 60× clock, with a live terminal view and keys to wipe, retire and pull the power.',
    )
    .option('--devices <n>', 'about how many devices', intOption('--devices', 12, 20_000), 300)
    .option('--speed <factor>', 'sim seconds per wall second', speedOption, 60)
    .option('--port <port>', 'HTTP port (0 picks a free one)', intOption('--port', 0, 65535), 8080)
    .option('--mqtt-port <port>', 'MQTT port (0 picks a free one)', intOption('--mqtt-port', 0, 65535), 1883)
    .option('--seed <seed>', 'fleet seed', 'demo')
    .option('--plain', 'narrate a scripted run line by line instead of the live view')
    .option('--open', 'open the dashboard in the default browser')
    .option('--for <seconds>', 'stop after this many seconds', intOption('--for', 1, 86_400))
    .addHelpText(
      'after',
      `
The dashboard's link is printed first (it signs the browser in once; the token stays out of URLs).
Keys in the live view: [ and ] choose a platform; w wipes, p wipes with power-loss protection, r retires
one of its devices; o cuts and restores the power of the device being watched; space pauses; + and - change
the speed; q quits. The Graph and /sim APIs are up meanwhile (URLs and token on screen).

Examples:
  fleetsim demo
  fleetsim demo --open
  fleetsim demo --devices 2000 --speed 300
  fleetsim demo --plain --for 30 --port 0 --mqtt-port 0`,
    )
    .action(async (opts) => {
      const { demo } = await import('./demo/demo.ts');
      await demo(opts);
    });

  program
    .command('explain')
    .description(
      'Show what each platform loses and keeps: a seeded fleet wiped and retired through the device model, before and after.',
    )
    .option('--seed <seed>', 'fleet seed; the same seed gives the same fleet', 'demo')
    .option('--per-platform <n>', 'devices per platform', intOption('--per-platform', 1, 20), 1)
    .addHelpText('after', '\nExamples:\n  fleetsim explain\n  fleetsim explain --seed 7 --per-platform 2\n')
    .action(async (opts: { seed: string; perPlatform: number }) => {
      const { runExplain } = await import('./explain.ts');
      process.stdout.write(runExplain({ seed: opts.seed, perPlatform: opts.perPlatform }));
    });

  program
    .command('run')
    .description(
      'Run QA scenario files (YAML) on the emulator, on the virtual clock: verdicts, reports, exit code 0 only when every expectation holds.',
    )
    .argument('<paths...>', 'scenario files or directories')
    .option(
      '--reporter <list>',
      'console, junit=FILE, json=FILE, html=FILE (comma-separated; - for stdout)',
      (v: string, acc: string[]) => [...acc, ...v.split(',')],
      [] as string[],
    )
    .option('--seed <seed>', "override every scenario's seed")
    .option('--filter <text>', 'only scenarios whose name contains this text or that carry this tag')
    .option('--bail', 'stop at the first failing scenario')
    .option(
      '--jobs <n>',
      'scenarios run in parallel (worker processes)',
      intOption('--jobs', 1, 64),
      DEFAULT_JOBS,
    )
    .addOption(
      new Option('--worker', 'run scenarios sent as JSON lines on stdin (used by --jobs)').hideHelp(),
    )
    .addHelpText(
      'after',
      `
Examples:
  fleetsim run scenarios/
  fleetsim run scenarios/wipe-propagation.yaml --seed 42
  fleetsim run scenarios/ --reporter console,junit=reports/junit.xml,html=reports/report.html
  fleetsim run scenarios/ --filter protected-wipe --bail`,
    )
    .action(
      async (
        paths: string[],
        opts: {
          reporter: string[];
          seed?: string;
          filter?: string;
          bail?: boolean;
          jobs: number;
          worker?: boolean;
        },
      ) => {
        leanHeap('run');
        if (!opts.worker) {
          // A big fleet's run goes on in a process started with a bigger young generation.
          const { startAgainForBigFleet } = await import('./young-generation.ts');
          await startAgainForBigFleet(paths);
        }
        const { run, runWorker } = await import('./run.ts');
        if (opts.worker) return runWorker();
        const reporter = opts.reporter.length > 0 ? opts.reporter : ['console'];
        const ok = await run(paths, { ...opts, reporter });
        process.exitCode = ok ? EXIT_CODES.ok.code : EXIT_CODES.expectationFailed.code;
      },
    );

  program
    .command('serve')
    .description(
      'Run the Intune service with its embedded MQTT broker (aedes), optionally with an embedded fleet.',
    )
    .option(
      '--port <port>',
      'HTTP port for the Graph and /sim APIs (0 picks a free one)',
      intOption('--port', 0, 65535),
      8080,
    )
    .option('--mqtt-port <port>', 'MQTT port (0 picks a free one)', intOption('--mqtt-port', 0, 65535), 1883)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .addOption(
      new Option(
        '--clock <mode>',
        'scaled: wall time × speed; virtual: moves only when POST /sim/clock/advance moves it',
      )
        .choices(['virtual', 'scaled'])
        .default('scaled'),
    )
    .option('--speed <factor>', 'sim seconds per wall second', speedOption, 60)
    .option('--seed <seed>', 'seed for ids and the embedded fleet', 'fleetsim')
    .option('--db <file>', "SQLite database, or ':memory:' (default: <data-dir>/fleetsim.db)")
    .option(
      '--data-dir <dir>',
      'where fleetsim keeps its files: database, embedded agents, TLS certificate',
      '.fleetsim',
    )
    .option('--fleet <file|preset>', 'embedded fleet: a JSON cohort file, or a preset (below)', loadFleet)
    .option('--event-log <file>', "write every event as a JSON line ('-' for stdout)")
    .option('--tls', 'serve HTTPS with a self-signed certificate for localhost (kept in --data-dir)')
    .option('--tls-cert <file>', 'serve HTTPS with this certificate (PEM)')
    .option('--tls-key <file>', 'and this key (PEM)')
    .option(
      '--mqtts-port <port>',
      'also serve MQTT over TLS (mqtts) on this port, with the --tls certificate',
      intOption('--mqtts-port', 0, 65535),
    )
    .option('--admin-upn <upn>', 'the admin the bearer token stands for', 'admin@contoso.onmicrosoft.com')
    .option(
      '--public-url <url>',
      'the base URL clients reach this server at (behind a proxy); @odata.nextLink is built on it',
      publicUrlOption,
    )
    .addHelpText(
      'after',
      `
The bearer token is FLEETSIM_TOKEN when set, otherwise generated and printed.

Examples:
  fleetsim serve                                  HTTP on :8080, MQTT on :1883, 60x time
  fleetsim serve --clock virtual --fleet small    time moves only when POST /sim/clock/advance says so
  fleetsim serve --tls                            HTTPS, as Graph's client libraries expect
  fleetsim serve --fleet every-platform           with two devices of every platform inside
  fleetsim serve --speed 600 --db :memory:        fast and forgetful
  fleetsim serve --event-log events.jsonl         keep the event log
  fleetsim serve --data-dir run2                  a second, separate fleet: its own database and files
  fleetsim serve --tls --mqtts-port 8883          devices on other machines connect over mqtts://

Devices elsewhere connect with the printed enrollment token (see fleetsim agents).
${PRESETS_HELP}`,
    )
    .action(async (opts) => {
      const { serve } = await import('./serve.ts');
      leanHeap('service');
      await serve(opts);
    });

  program
    .command('agents')
    .description('Run a fleet of device agents against a broker elsewhere; with --db they survive restarts.')
    .requiredOption('--broker <url>', "the service's broker, mqtt://host:port", brokerUrlOption)
    .requiredOption('--enrollment-token <token>', 'the enrollment credential fleetsim serve printed')
    .option('--fleet <file|preset>', 'cohorts to create: a JSON cohort file, or a preset (below)', loadFleet)
    .option(
      '--seed <seed>',
      'fleet seed; the same seed gives the same devices (default: a random one, kept in the database)',
    )
    .option(
      '--db <file>',
      'SQLite file keeping the devices (NVRAM included) and their credentials (default: <data-dir>/agents.db, or agents-2.db, … when another process runs it)',
    )
    .option('--data-dir <dir>', 'where the default database goes', '.fleetsim')
    .option('--event-log <file>', "write every agent event as a JSON line ('-' for stdout)")
    .addHelpText(
      'after',
      `
Examples:
  fleetsim agents --broker mqtt://127.0.0.1:1883 --enrollment-token <token> --fleet small
  fleetsim agents --broker mqtt://10.0.0.5:1883 --enrollment-token <token> --fleet cohorts.json --db part2.db

Started again with the same --db, it restores the devices as they were, a wipe in progress included.
Each database has its own seed, so two agents processes never make the same devices.
${PRESETS_HELP}`,
    )
    .action(async (opts) => {
      const { agents } = await import('./agents.ts');
      leanHeap('agents');
      await agents(opts);
    });

  program
    .command('load')
    .description(
      'Load-test the service: N devices over real TCP in K agent processes, scripted admin actions, live progress, SLO verdicts and reports.',
    )
    .option('--devices <n>', 'how many devices', intOption('--devices', 1, 1_000_000))
    .option(
      '--mix <preset|file>',
      "the fleet's mix: a preset (below) or a JSON cohort file, scaled to --devices",
      loadFleet,
      {
        cohorts: FLEET_PRESETS['every-platform']!.cohorts,
      },
    )
    .option(
      '--target <embedded|url>',
      'embedded, or the broker of a fleetsim serve elsewhere: mqtt://host:port',
      'embedded',
    )
    .option('--api <url>', 'with a remote --target: its HTTP API, http(s)://host:port', publicUrlOption)
    .option('--token <token>', 'with a remote --target: its bearer token')
    .option('--enrollment-token <token>', 'with a remote --target: its enrollment token')
    .option(
      '--processes <k>',
      'agent processes (default: one per core, more when the descriptor limit needs it)',
      intOption('--processes', 1, 256),
    )
    .option(
      '--ramp <rate>',
      'devices started per wall second, e.g. 500 or 500/s (default: all at once)',
      rateOption,
    )
    .option('--duration <d>', 'sim time the run lasts (default: the last action + 15m, else 5m)')
    .option('--speed <factor>', 'sim seconds per wall second (embedded service)', speedOption, 60)
    .option('--seed <seed>', 'seed for the fleet and the devices each action picks', 'load')
    .option(
      '--action <script>',
      'an admin action at a sim time: "wipe 10% at 5m", "retire 500 at 8m", "delete 5 at 3m" (repeatable)',
      collect,
      [] as string[],
    )
    .option(
      '--script <scenario.yaml>',
      "a scenario file's timeline as admin actions (wipe, retire, sync, delete), merged with --action by time",
    )
    .option('--sync-every <d>', 'a sync to every enrolled device this often (sim time)')
    .option(
      '--slo <objective>',
      'an objective: "p99(wipe.propagation) < 15m", "errors == 0", "enrolled == 100%" (repeatable)',
      collect,
      [] as string[],
    )
    .option('--slo-file <file>', 'objectives, one a line')
    .option('--report <file.json>', 'write the JSON report (schema: load/report.schema.json)')
    .option('--html <file.html>', 'write the HTML report')
    .option('--baseline <old.json>', "compare with an earlier run's JSON report; a regression fails the run")
    .option(
      '--regression-threshold <percent>',
      'how much worse a figure may get against --baseline',
      percentOption,
      10,
    )
    .option(
      '--data-dir <dir>',
      'where the agent processes keep their databases (default: a temporary one, removed after)',
    )
    .addOption(
      new Option('--worker <role>', 'run one process of a load run (used by load itself)')
        .choices(['service', 'agents'])
        .hideHelp(),
    )
    .addHelpText(
      'after',
      `
Exit code 0 only when every objective holds (and nothing regressed against --baseline); 1 otherwise.
Propagation is measured in sim time from each action's intended time to the device's acknowledgement;
check-in lateness from when each check-in was due (the device's schedule or push) to the service.

--script takes the wipe, retire, sync and delete steps of a scenario's timeline at their times (other
steps and the expectations are listed on stderr as skipped). A target becomes a share of the load fleet:
all → every managed device; a cohort → its share of the scenario's fleet (a cohort of 12 in a fleet of
120 → 10% of the managed devices); one device (cohort and index) → 1 device; drawn at random (--seed)
among those not already being wiped, retired or deleted, as --action does.

Examples:
  fleetsim load --devices 2000
  fleetsim load --devices 2000 --speed 120 --action "wipe 10% at 5m" --slo "p99(wipe.propagation) < 15m"
  fleetsim load --devices 10000 --ramp 1000/s --sync-every 1m --duration 10m --report load.json --html load.html
  fleetsim load --devices 5000 --target mqtt://10.0.0.5:1883 --api http://10.0.0.5:8080 --token T --enrollment-token E
  fleetsim load --devices 2000 --baseline yesterday.json --report today.json
  fleetsim load --devices 500 --script scenarios/wipe-propagation.yaml --slo "p99(checkIn.lateness) < 1m"
${PRESETS_HELP}`,
    )
    .action(async (opts) => {
      const { load } = await import('./load.ts');
      leanHeap(opts.worker === 'agents' ? 'agents' : 'service'); // the generator itself holds little
      const ok = await load(opts, process.argv.slice(2));
      if (!opts.worker) process.exitCode = ok ? EXIT_CODES.ok.code : EXIT_CODES.expectationFailed.code;
    });

  return program;
}

/** After an error, a pointer to the command's help rather than the whole of it. */
function pointToHelp(program: Command): void {
  program.showHelpAfterError('(fleetsim --help lists the commands)');
  for (const c of program.commands) c.showHelpAfterError(`(fleetsim ${c.name()} --help lists its options)`);
}

/**
 * Runs the command line; every failure ends here: one or two lines and a documented exit code,
 * the stack only with --debug (or FLEETSIM_DEBUG=1).
 */
export async function main(argv: readonly string[]): Promise<void> {
  const debug = argv.includes('--debug') || process.env.FLEETSIM_DEBUG === '1';
  const fail = (e: unknown) => {
    const { text, exitCode } = failureText(e, debug);
    process.stderr.write(text);
    process.exit(exitCode);
  };
  process.on('uncaughtException', fail);
  process.on('unhandledRejection', fail);
  const program = buildProgram();
  pointToHelp(program);
  try {
    await program.parseAsync([...argv]);
  } catch (e) {
    // Commander has already printed its message (and the pointer to --help).
    if (e instanceof CommanderError) process.exit(e.exitCode === 0 ? 0 : EXIT_CODES.usage.code);
    fail(e);
  }
}
