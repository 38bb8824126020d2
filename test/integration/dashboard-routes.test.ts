import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboardCode } from '../../broker/http/dashboard-session.ts';
import type { Serving } from '../../cli/serve.ts';
import { serveOnFreePorts } from '../helpers/serving.ts';

/** The dashboard's routes: assets without a token, the one-time sign-in code, the clock pause. */
describe('dashboard routes', () => {
  let serving: Serving;
  beforeAll(async () => {
    serving = await serveOnFreePorts({ clock: 'scaled', seed: 'routes' });
  });
  afterAll(() => serving.stop());
  const post = (path: string, body: unknown, token?: string) =>
    fetch(`${serving.httpUrl}${path}`, {
      method: path.includes('paused') ? 'PUT' : 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });

  it('serves the page, its script and style from fleetsim itself, with a strict content security policy', async () => {
    const page = await fetch(`${serving.httpUrl}/dashboard/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toContain('<script type="module" src="/dashboard/app.js">');
    const js = await fetch(`${serving.httpUrl}/dashboard/app.js`);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await js.text()).length).toBeGreaterThan(10_000);
    expect((await fetch(`${serving.httpUrl}/`, { redirect: 'manual' })).headers.get('location')).toBe(
      '/dashboard/',
    );
  });

  it('trades a sign-in code for the token once; a reused, forged or expired code gets 401', async () => {
    const code = dashboardCode(serving.token);
    const first = await post('/dashboard/session', { code });
    expect(first.status).toBe(200);
    expect(((await first.json()) as any).token).toBe(serving.token);
    const again = await post('/dashboard/session', { code });
    expect(again.status).toBe(401);
    expect(((await again.json()) as any).error.message).toMatch(/already used: paste the bearer token/);
    expect((await post('/dashboard/session', { code: dashboardCode('another-token') })).status).toBe(401);
    expect(
      (await post('/dashboard/session', { code: dashboardCode(serving.token, Date.now() - 2 * 3600_000) }))
        .status,
    ).toBe(401);
    expect((await post('/dashboard/session', { code: 42 })).status).toBe(400);
  });

  it('pauses and resumes the scaled clock behind the bearer token', async () => {
    expect((await post('/sim/clock/paused', { paused: true })).status).toBe(401);
    const paused: any = await (await post('/sim/clock/paused', { paused: true }, serving.token)).json();
    expect(paused).toMatchObject({ paused: true, speed: 60 });
    const clock: any = await (
      await fetch(`${serving.httpUrl}/sim/clock`, { headers: { authorization: `Bearer ${serving.token}` } })
    ).json();
    expect(clock.nowMs).toBe(paused.nowMs); // sim time stands still while paused
    expect(await (await post('/sim/clock/paused', { paused: false }, serving.token)).json()).toMatchObject({
      paused: false,
    });
  });
});
