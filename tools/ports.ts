import { createServer } from 'node:net';

/**
 * Ports for servers in tests and tools come from below the ephemeral range (Linux hands out
 * 32768–60999 to outgoing sockets): a server there can collide with one of the thousands of
 * client sockets a load run opens.
 */
export const LOW_PORT_RANGE = [20_000, 32_000] as const;

function tryListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/** Ports this process was given: two servers asking in turn (HTTP, then MQTT) never get the same one. */
const handedOut = new Set<number>();

/**
 * A port below the ephemeral range that nothing listens on now (so a restarted server can take it
 * again), and one this process was not given before: nothing holds a port between the check and
 * the caller's listen, so without that a second call could return the first one's port.
 */
export async function freeLowPort(): Promise<number> {
  const [low, high] = LOW_PORT_RANGE;
  for (let attempt = 0; attempt < 200; attempt++) {
    // Spread over the range by pid and attempt, so parallel test workers rarely try the same port.
    const port =
      low + ((process.pid * 7919 + attempt * 104_729 + Math.floor(Math.random() * 1000)) % (high - low));
    if (handedOut.has(port)) continue;
    if (await tryListen(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error(`no free port between ${low} and ${high}`);
}
