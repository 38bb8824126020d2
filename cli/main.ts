import { Command, InvalidArgumentError } from 'commander';
import { runModelDemo } from './model-demo.ts';

function positiveInt(name: string, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > max) {
      throw new InvalidArgumentError(`${name} must be a whole number from 1 to ${max}, got "${value}"`);
    }
    return n;
  };
}

export function buildProgram(): Command {
  const program = new Command()
    .name('fleetsim')
    .description('Device-agent simulator and fleet emulator for Microsoft Intune remote actions.')
    .showHelpAfterError();

  program
    .command('demo')
    .description(
      'Build a seeded fleet with devices of every platform, wipe and retire them through the device model, and print what each lost and kept.',
    )
    .option('--seed <seed>', 'fleet seed; the same seed gives the same fleet', 'demo')
    .option('--per-platform <n>', 'devices per platform', positiveInt('--per-platform', 20), 1)
    .addHelpText('after', '\nExamples:\n  fleetsim demo\n  fleetsim demo --seed 7 --per-platform 2\n')
    .action((opts: { seed: string; perPlatform: number }) => {
      process.stdout.write(runModelDemo({ seed: opts.seed, perPlatform: opts.perPlatform }));
    });

  return program;
}

export async function main(argv: readonly string[]): Promise<void> {
  await buildProgram().parseAsync([...argv]);
}
