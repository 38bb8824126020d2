/**
 * The value given after `name` on a benchmark's command line: undefined when the flag is absent,
 * '' when it is last with no value (so a check can name what is missing rather than use a default).
 */
export function argValue(argv: readonly string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? (argv[i + 1] ?? '') : undefined;
}
