/** Picks random ports in 20000–32000 (below the ephemeral range) and retries while they are taken. */
export async function onFreePorts<T>(count: number, start: (ports: number[]) => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const ports = Array.from({ length: count }, () => 20_000 + Math.floor(Math.random() * 12_000));
    try {
      return await start(ports);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= 20) throw e;
    }
  }
}
