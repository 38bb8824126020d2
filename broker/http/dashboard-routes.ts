import type { FastifyInstance, FastifyReply } from 'fastify';
import { buildDashboard, type DashboardAssets } from '../../dashboard/build.ts';
import type { AdminIdentity } from './auth.ts';
import { registerClockPauseRoutes } from './clock-pause-routes.ts';
import { registerDashboardSession } from './dashboard-session.ts';
import type { SimControl } from './sim-control.ts';

/** The page may load only its own script and style and talk only to this server. */
const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self' ws: wss:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * The dashboard at /dashboard/: static assets bundled in memory on first request (no CDN, nothing
 * from the internet), the sign-in code exchange, and the clock pause the page needs. No bearer
 * token guards the assets; the page asks for one before it calls the APIs.
 */
export function registerDashboardRoutes(
  app: FastifyInstance,
  deps: { admin: AdminIdentity; control: SimControl },
): void {
  let assets: Promise<DashboardAssets> | null = null;
  const built = () => {
    assets ??= buildDashboard();
    // A failed build is retried on the next request rather than cached.
    assets.catch(() => {
      assets = null;
    });
    return assets;
  };
  const send = (reply: FastifyReply, type: string, body: string) =>
    reply
      .type(type)
      .header('Cache-Control', 'no-cache')
      .header('Content-Security-Policy', CONTENT_SECURITY_POLICY)
      .header('X-Content-Type-Options', 'nosniff')
      .header('Referrer-Policy', 'no-referrer')
      .send(body);

  app.get('/', async (_req, reply) => reply.redirect('/dashboard/'));
  // '/dashboard' reaches the next route too: the router ignores a trailing slash (assets are absolute).
  app.get('/dashboard/', async (_req, reply) =>
    send(reply, 'text/html; charset=utf-8', (await built()).html),
  );
  app.get('/dashboard/app.js', async (_req, reply) =>
    send(reply, 'text/javascript; charset=utf-8', (await built()).js),
  );
  app.get('/dashboard/app.css', async (_req, reply) =>
    send(reply, 'text/css; charset=utf-8', (await built()).css),
  );
  registerDashboardSession(app, deps.admin);
  registerClockPauseRoutes(app, deps.control);
}
