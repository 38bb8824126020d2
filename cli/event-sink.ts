import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { EventLog } from '../sim/events.ts';

/** Writes every event of a log as one JSON line, to a file or to stdout ('-'). */
export function sinkEvents(log: EventLog, target: string): () => Promise<void> {
  if (target !== '-') mkdirSync(dirname(target), { recursive: true });
  const out = target === '-' ? process.stdout : createWriteStream(target, { flags: 'a' });
  const off = log.on((event) => out.write(`${JSON.stringify(event)}\n`));
  return async () => {
    off();
    if (out !== process.stdout)
      await new Promise<void>((resolve) => (out as ReturnType<typeof createWriteStream>).end(resolve));
  };
}
