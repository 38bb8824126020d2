import { createInterface } from 'node:readline';

/**
 * A load worker's pipe: its assignment comes as one JSON line on stdin, and it says everything
 * as JSON lines on stdout. stdin closing means the run is over (the parent may have died).
 */
export function readAssignment<T>(): Promise<T> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: process.stdin });
    lines.once('line', (line) => {
      try {
        resolve(JSON.parse(line) as T);
      } catch (e) {
        reject(e);
      }
    });
  });
}

export function say(message: object): void {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

/** Calls `stop` once, on SIGTERM, SIGINT or the end of stdin. */
export function onStop(stop: () => Promise<void>): void {
  let stopping = false;
  const once = () => {
    if (stopping) return;
    stopping = true;
    void stop().then(() => process.exit(0));
  };
  process.once('SIGTERM', once);
  process.once('SIGINT', once);
  process.stdin.once('end', once);
}

/** Seconds between worker reports. */
export const REPORT_EVERY_MS = 1000;
