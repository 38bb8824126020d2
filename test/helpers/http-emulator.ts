import { type Serving, startServing } from '../../cli/serve.ts';
import type { CohortSpec } from '../../sim/cohort.ts';

/** The emulator with its HTTP API on a free port, on the virtual clock unless told otherwise. */
export interface HttpEmulator {
  serving: Serving;
  base: string;
  token: string;
  /** fetch with the bearer token; JSON bodies are stringified. */
  call(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; json: any; text: string; headers: Headers }>;
  close(): Promise<void>;
}

export async function startHttpEmulator(
  options: {
    cohorts?: CohortSpec[];
    seed?: string;
    clock?: 'virtual' | 'scaled';
    tls?: boolean;
    dataDir?: string;
  } = {},
): Promise<HttpEmulator> {
  const serving = await startServing({
    port: 0,
    mqttPort: 0,
    host: '127.0.0.1',
    clock: options.clock ?? 'virtual',
    speed: 600,
    seed: options.seed ?? 'http',
    db: ':memory:',
    dataDir: options.dataDir ?? '.fleetsim-test',
    adminUpn: 'admin@contoso.onmicrosoft.com',
    ...(options.cohorts ? { fleet: { cohorts: options.cohorts } } : {}),
    ...(options.tls ? { tls: true } : {}),
  });
  const base = serving.httpUrl;
  const call: HttpEmulator['call'] = async (method, path, body, headers = {}) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${serving.token}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {}
    return { status: res.status, json, text, headers: res.headers };
  };
  return { serving, base, token: serving.token, call, close: () => serving.stop() };
}
