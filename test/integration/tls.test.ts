import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type HttpEmulator, startHttpEmulator } from '../helpers/http-emulator.ts';

/** HTTPS as Graph serves it: a self-signed certificate for localhost, kept in the data directory. */
const dir = mkdtempSync(join(tmpdir(), 'fleetsim-tls-'));
let api: HttpEmulator | null = null;
afterAll(async () => {
  await api?.close();
  rmSync(dir, { recursive: true, force: true });
});

function get(url: string, ca: string, token: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca, headers: { authorization: `Bearer ${token}` } }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('--tls', () => {
  it('serves HTTPS that a client trusting the generated certificate accepts, and keeps the certificate for the next start', async () => {
    api = await startHttpEmulator({ tls: true, dataDir: dir });
    expect(api.base).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const certPath = join(dir, 'fleetsim-cert.pem');
    expect(existsSync(certPath)).toBe(true);
    const ca = readFileSync(certPath, 'utf8');
    const ok = await get(`${api.base}/v1.0/deviceManagement/managedDevices`, ca, api.token);
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)['@odata.context']).toMatch(/^https:\/\//);
    // Untrusted, the connection is refused: it really is TLS with that certificate.
    await expect(get(`${api.base}/openapi.json`, '', api.token)).rejects.toThrow(/self-signed|certificate/i);
    await api.close();
    api = await startHttpEmulator({ tls: true, dataDir: dir });
    expect(readFileSync(certPath, 'utf8')).toBe(ca);
  });
});
