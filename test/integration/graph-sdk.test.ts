import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpEmulator, startHttpEmulator } from '../helpers/http-emulator.ts';

/**
 * Microsoft's Graph client library for JavaScript runs unchanged against fleetsim over HTTPS: it
 * attaches the token, pages through @odata.nextLink, posts actions and reads Graph's errors.
 */
const dir = mkdtempSync(join(tmpdir(), 'fleetsim-sdk-'));
let api: HttpEmulator;
beforeAll(async () => {
  api = await startHttpEmulator({
    tls: true,
    dataDir: dir,
    seed: 'sdk',
    cohorts: [
      { platform: 'windows10', count: 3, osVersion: '22H2' },
      { platform: 'windows10', count: 1, osVersion: '1607' },
      { platform: 'ios', count: 1 },
    ],
  });
});
afterAll(async () => {
  await api?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('@microsoft/microsoft-graph-client', () => {
  it('pages, wipes, gets a refusal as a GraphError, and reads the audit log', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['examples/graph-sdk-client.mjs'], {
      env: {
        ...process.env,
        NODE_EXTRA_CA_CERTS: join(dir, 'fleetsim-cert.pem'),
        GRAPH_BASE: api.base,
        GRAPH_TOKEN: api.token,
      },
    });
    const report = JSON.parse(stdout);
    expect(report.windows).toHaveLength(4); // two pages of two
    expect(report.wiped).toHaveLength(3);
    expect(report.refused).toEqual([
      {
        name: expect.any(String),
        statusCode: 400,
        code: 'BadRequest',
        message: expect.stringMatching(/keepUserDataNotSupported; rule W-4/),
      },
    ]);
    expect(report.audit).toEqual(
      Array(3).fill('admin@contoso.onmicrosoft.com factoryResetKeepEnrollmentData pending'),
    );
  });
});
