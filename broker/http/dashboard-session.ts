import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AdminIdentity } from './auth.ts';
import { GraphError } from './graph/errors.ts';
import { parseBody } from './validate.ts';

/** A sign-in link is good for this long (wall time) and for one use. */
export const DASHBOARD_CODE_TTL_MS = 60 * 60_000;
/** Limit on remembered used codes; past it the oldest are forgotten (they have expired by then). */
const USED_CODES_MAX = 10_000;

function mac(token: string, nonce: string, expiresAtMs: number): string {
  return createHmac('sha256', token).update(`fleetsim-dashboard:${nonce}:${expiresAtMs}`).digest('base64url');
}

/**
 * A one-time sign-in code for the dashboard, signed with the bearer token so that whoever holds
 * the token (the `demo` process) can mint one without asking the server. It travels in the URL's
 * fragment, which browsers never send to a server, so it lands in no access log; the page trades
 * it for the token once and drops it from the address bar.
 */
export function dashboardCode(token: string, wallNowMs = Date.now()): string {
  const nonce = randomBytes(12).toString('base64url');
  const expiresAtMs = wallNowMs + DASHBOARD_CODE_TTL_MS;
  return `${nonce}.${expiresAtMs}.${mac(token, nonce, expiresAtMs)}`;
}

const sessionBody = z.strictObject({ code: z.string().min(1).max(200) });

/** POST /dashboard/session {code} → {token}: the exchange, in its own file beside the assets. */
export function registerDashboardSession(
  app: FastifyInstance,
  admin: AdminIdentity,
  wallNow: () => number = Date.now,
): void {
  const used = new Set<string>();
  app.post('/dashboard/session', async (req) => {
    const { code } = parseBody(sessionBody, req.body, 'dashboard.session');
    const [nonce = '', expires = '', signature = ''] = code.split('.');
    const expiresAtMs = Number(expires);
    const expected = Buffer.from(mac(admin.token, nonce, expiresAtMs));
    const given = Buffer.from(signature);
    const valid = given.length === expected.length && timingSafeEqual(given, expected);
    if (!valid || used.has(nonce) || !(expiresAtMs > wallNow())) {
      throw GraphError.unauthorized(
        'The dashboard sign-in code is not valid, has expired or was already used: paste the bearer token fleetsim printed instead.',
      );
    }
    used.add(nonce);
    if (used.size > USED_CODES_MAX) used.delete(used.values().next().value!);
    return { token: admin.token, userPrincipalName: admin.userPrincipalName };
  });
}
