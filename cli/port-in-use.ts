import { createServer } from 'node:net';
import { CliError } from './errors.ts';

/** How far past a taken port to look for a free one to suggest. */
const SUGGESTION_SEARCH_SPAN = 50;

function isFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, host, () => s.close(() => resolve(true)));
  });
}

async function nextFreePort(port: number, host: string): Promise<number | null> {
  for (let p = port + 1; p <= Math.min(65_535, port + SUGGESTION_SEARCH_SPAN); p++)
    if (await isFree(p, host)) return p;
  return null;
}

/**
 * A port already taken, as a sentence naming the flag that changes it and a port free right now;
 * other errors are returned as they are. `flags` maps each port asked for to its option.
 */
export async function explainListenError(
  e: unknown,
  host: string,
  flags: readonly { flag: string; port: number }[],
): Promise<unknown> {
  const err = e as NodeJS.ErrnoException & { port?: number };
  if (err?.code !== 'EADDRINUSE') return e;
  const port = err.port ?? flags.find((f) => err.message.includes(`:${f.port}`))?.port;
  const flag = flags.find((f) => f.port === port)?.flag ?? flags.map((f) => f.flag).join(' or ');
  const next = port === undefined ? null : await nextFreePort(port, host);
  const suggestion =
    next === null
      ? `${flag} 0 picks any free port`
      : `try ${flag} ${next} (free now), or ${flag} 0 for any free port`;
  return new CliError(
    `port ${port ?? '?'} on ${host} is already in use (another fleetsim, or another program): ${suggestion}`,
    'environment',
  );
}
