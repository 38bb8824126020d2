import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScenarioLibrary } from '../../broker/http/scenario-library.ts';
import type { Serving } from '../../cli/serve.ts';
import { LIBRARY_DIR } from '../../scenarios/library.ts';
import { serveOnFreePorts } from '../helpers/serving.ts';

/**
 * The dashboard's scenario playback routes on a real server: the library listed, a run started by
 * name and followed to its verdict beside a live fleet it leaves alone, names that would leave the
 * library refused, and the bearer token required as on every /sim route.
 */
const FIXTURES = resolve('test/fixtures/playback');

describe('scenario playback routes', () => {
  let serving: Serving;
  beforeAll(async () => {
    serving = await serveOnFreePorts({
      seed: 'playback-live',
      fleet: { cohorts: [{ platform: 'ios', count: 3 }] },
      scenarioDir: FIXTURES,
    });
  });
  afterAll(() => serving?.stop());

  const call = async (method: string, path: string, body?: unknown, token: string | null = serving.token) => {
    const res = await fetch(`${serving.httpUrl}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, json: (await res.json()) as any };
  };
  /** Follows a run with ?after= until it has a final status; bounded by the number of updates. */
  const finish = async (id: string) => {
    let run = (await call('GET', `/sim/scenarios/runs/${id}`)).json;
    for (let i = 0; i < 100 && ['enrolling', 'running'].includes(run.status); i++)
      run = (await call('GET', `/sim/scenarios/runs/${id}?after=${run.progress}`)).json;
    return run;
  };

  it('lists the library: file, name, description, tags and spec IDs; a file that does not load says why', async () => {
    const { status, json } = await call('GET', '/sim/scenarios');
    expect(status).toBe(200);
    expect(json.scenarios.map((s: any) => s.file)).toEqual(['broken.yaml', 'fails.yaml', 'passes.yaml']);
    expect(json.scenarios[2]).toEqual({
      file: 'passes.yaml',
      name: 'Two phones retired, both acknowledge and complete',
      description:
        'Two Knox phones are retired an hour in; both hear of it within 15 minutes and complete. An old PC refuses keepUserData.',
      tags: ['retire', 'playback'],
      specIds: ['R-4', 'W-4'],
      problem: null,
    });
    expect(json.scenarios[0].problem).toMatch(/expect\.0\.of: expected the id of an action step/);
  });

  it("runs a scenario in its own emulator to its verdict, step by step, leaving the live fleet's clock, log and devices alone", async () => {
    const before = {
      clock: (await call('GET', '/sim/clock')).json.nowMs,
      events: (await call('GET', '/sim/stats')).json.events.held,
      devices: (await call('GET', '/sim/fleet/devices')).json.devices.length,
    };
    const started = await call('POST', '/sim/scenarios/runs', { file: 'passes.yaml', paceMs: 0 });
    expect(started.status).toBe(202);
    expect(started.json).toMatchObject({
      file: resolve(FIXTURES, 'passes.yaml'),
      seed: 'playback',
      status: 'enrolling',
      steps: [
        { index: 0, at: '1h', atMs: 3600_000, text: 'retire "retire" on cohort phones', done: false },
        {
          index: 1,
          text: 'wipe "keep" on cohort old (options {"keepUserData":true}) expecting a refusal: keepUserDataNotSupported',
          refusal: null,
        },
      ],
      expectations: [
        {
          index: 0,
          description: 'retire acknowledged within 15m (all devices)',
          specIds: ['R-4'],
          verdict: null,
        },
        { index: 1, description: 'retire completed done within 1h (all)', atMs: null, verdict: null },
      ],
    });
    const run = await finish(started.json.id);
    expect(run.status).toBe('passed');
    expect(run.steps.map((s: any) => s.done)).toEqual([true, true]);
    expect(run.steps[1].refusal).toMatchObject({
      passed: true,
      specIds: ['W-4'],
      found: '1 refused with keepUserDataNotSupported',
    });
    expect(run.expectations.map((e: any) => [e.atMs, e.verdict.passed, e.verdict.found])).toEqual([
      [75 * 60_000, true, 'all 2 as expected'],
      [2 * 3600_000, true, 'all 2 as expected'],
    ]);
    expect(run.endMs).toBe(2 * 3600_000);
    expect(run.replay).toBe(`npx fleetsim run ${resolve(FIXTURES, 'passes.yaml')} --seed playback`);
    expect({
      clock: (await call('GET', '/sim/clock')).json.nowMs,
      events: (await call('GET', '/sim/stats')).json.events.held,
      devices: (await call('GET', '/sim/fleet/devices')).json.devices.length,
    }).toEqual(before);
  });

  it("a failing scenario ends failed, with the judge's expected and found text; a second run waits for the first", async () => {
    const started = await call('POST', '/sim/scenarios/runs', { file: 'fails.yaml', paceMs: 50 });
    expect(started.status).toBe(202);
    const second = await call('POST', '/sim/scenarios/runs', { file: 'passes.yaml' });
    expect(second.status).toBe(409);
    expect(second.json.error.message).toBe(
      `A scenario is already running (run ${started.json.id}); wait for its verdict before starting another.`,
    );
    const run = await finish(started.json.id);
    expect(run.status).toBe('failed');
    expect(run.expectations.map((e: any) => e.verdict.passed)).toEqual([true, false]);
    expect(run.expectations[1].verdict).toMatchObject({ expected: 'acknowledged within 15m' });
    expect(run.expectations[1].verdict.found).toMatch(/^1 of 2 as expected; .*: not acknowledged/);
    expect(run.expectations[1].verdict.failingDevices).toHaveLength(1);
  });

  it('refuses names outside the library (absolute, ../, nested ..), names it lacks, and files that do not load', async () => {
    const refusal = async (file: unknown) => {
      const r = await call('POST', '/sim/scenarios/runs', { file });
      return [r.status, r.json.error.message];
    };
    const outside = /is not a name in the scenario library \(no absolute paths, no '\.\.'\)/;
    for (const file of [
      '../../../scenarios/protected-wipe.yaml',
      '../playback/passes.yaml',
      'sub/../passes.yaml',
      '..\\passes.yaml',
      resolve(FIXTURES, 'passes.yaml'),
      '/etc/passwd',
    ]) {
      const [status, message] = await refusal(file);
      expect(status, file).toBe(400);
      expect(message, file).toMatch(outside);
    }
    expect(await refusal('protected-wipe.yaml')).toEqual([
      404,
      "No scenario 'protected-wipe.yaml' in the scenario library; GET /sim/scenarios lists them.",
    ]);
    const [status, message] = await refusal('broken.yaml');
    expect(status).toBe(400);
    expect(message).toMatch(/^The scenario 'broken.yaml' does not load, so it cannot run: .*expect\.0\.of/);
    expect((await refusal(42))[0]).toBe(400);
    expect((await call('POST', '/sim/scenarios/runs', { file: 'passes.yaml', paceMs: -1 })).status).toBe(400);
    expect((await call('GET', '/sim/scenarios/runs/nope')).status).toBe(404);
    expect((await call('GET', '/sim/scenarios/runs/nope?after=x')).status).toBe(400);
  });

  it('needs the bearer token, like every /sim route', async () => {
    for (const [method, path, body] of [
      ['GET', '/sim/scenarios', undefined],
      ['POST', '/sim/scenarios/runs', { file: 'passes.yaml' }],
      ['GET', '/sim/scenarios/runs/any', undefined],
    ] as const) {
      expect((await call(method, path, body, null)).status, `${method} ${path}`).toBe(401);
      expect((await call(method, path, body, 'wrong')).status, `${method} ${path}`).toBe(401);
    }
  });
});

describe('the scenario library that ships with fleetsim', () => {
  it('is the default: every file in scenarios/ loads and is listed by its name', () => {
    const entries = new ScenarioLibrary(LIBRARY_DIR).list();
    expect(entries.length).toBeGreaterThanOrEqual(20);
    expect(entries.filter((e) => e.problem)).toEqual([]);
    expect(entries.find((e) => e.file === 'protected-wipe.yaml')?.name).toBe(
      'A protected wipe cannot be circumvented by pulling the power; an unprotected one rolls back',
    );
  });
});
