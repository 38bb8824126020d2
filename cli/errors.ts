/**
 * Every way the fleetsim command ends, in one table: the README's "Exit codes" section lists the
 * same codes, and a test checks the two agree. A failure a user can fix is a CliError: one or two
 * lines saying what was wrong and how to fix it, never a stack (that only with --debug).
 */
export const EXIT_CODES = {
  ok: { code: 0, means: 'done; for run, every expectation held' },
  expectationFailed: {
    code: 1,
    means: 'run: a scenario expectation did not hold; load: an objective or the baseline did not hold',
  },
  usage: {
    code: 2,
    means: 'usage: an unknown command or option, a bad value, an invalid fleet or scenario file',
  },
  environment: {
    code: 3,
    means: 'surroundings: a port in use, a broker refusing the token, a file or database that cannot be used',
  },
  internal: { code: 70, means: 'a fault in fleetsim itself (run again with --debug and report the stack)' },
} as const;

export type ExitKind = keyof typeof EXIT_CODES;

export class CliError extends Error {
  override name = 'CliError';
  constructor(
    message: string,
    readonly kind: Exclude<ExitKind, 'ok' | 'internal'> = 'usage',
  ) {
    super(message);
  }

  get exitCode(): number {
    return EXIT_CODES[this.kind].code;
  }
}

/** Node's errors for files and sockets, as sentences; null when it is not one of them. */
function describeSystemError(e: NodeJS.ErrnoException): string | null {
  const path = e.path ? ` ${e.path}` : '';
  switch (e.code) {
    case 'ENOENT':
      return `no such file or directory:${path}`;
    case 'EACCES':
    case 'EPERM':
      return `permission denied:${path}`;
    case 'EISDIR':
      return `${path.trim()} is a directory, a file was expected`;
    case 'EEXIST':
      return `cannot create${path}: a file is already there (a directory was needed)`;
    case 'ENOTDIR':
      return `a part of${path} is not a directory`;
    case 'EADDRNOTAVAIL':
      return `cannot listen on ${(e as { address?: string }).address ?? 'that address'}: it is not an address of this machine (see --host)`;
    case 'SQLITE_CANTOPEN':
      return `cannot open the database: ${e.message} (check --db and --data-dir)`;
    case 'SQLITE_BUSY':
      return `the database is in use by another process: ${e.message} (give each process its own --db or --data-dir)`;
    default:
      return null;
  }
}

/** What a thrown value means to the user: the message to print and the exit code. */
export function explainFailure(e: unknown): { message: string; exitCode: number; internal: boolean } {
  if (e instanceof CliError) return { message: e.message, exitCode: e.exitCode, internal: false };
  // broker/store's one-writer lock: another process holds the database (it names the pid).
  if (e instanceof Error && e.name === 'DatabaseLockedError')
    return { message: e.message, exitCode: EXIT_CODES.environment.code, internal: false };
  const system = e instanceof Error ? describeSystemError(e as NodeJS.ErrnoException) : null;
  if (system) return { message: system, exitCode: EXIT_CODES.environment.code, internal: false };
  const message = e instanceof Error ? e.message : String(e);
  return { message, exitCode: EXIT_CODES.internal.code, internal: true };
}

/** The lines printed for a failure: the sentence, then the stack only when asked for. */
export function failureText(e: unknown, debug: boolean): { text: string; exitCode: number } {
  const { message, exitCode, internal } = explainFailure(e);
  const lines = [`fleetsim: ${internal ? 'internal error: ' : ''}${message}`];
  if (debug && e instanceof Error && e.stack) lines.push(e.stack);
  else if (internal) lines.push('  run again with --debug for the stack, and please report it');
  return { text: `${lines.join('\n')}\n`, exitCode };
}
