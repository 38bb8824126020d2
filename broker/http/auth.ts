import { createHash, timingSafeEqual } from 'node:crypto';
import { GraphError } from './graph/errors.ts';

/**
 * Bearer-token authentication: one token stands for one admin. Every route needs it except the
 * ones in PUBLIC_ROUTES; the decision is made on the route the router matched, never on the raw
 * request target (which may be percent-encoded, absolute-form, or carry dot segments).
 */
export interface AdminIdentity {
  token: string;
  userPrincipalName: string;
}

/**
 * Routes anyone may reach, keyed `METHOD pattern` as fastify matched it: the API's own
 * description; the dashboard's static page, script and style (they hold no data: the page asks for
 * the token or trades a one-time sign-in code for it); and that exchange, which checks the code.
 */
const PUBLIC_GETS = ['/openapi.json', '/', '/dashboard/', '/dashboard/app.js', '/dashboard/app.css'];
export const PUBLIC_ROUTES: ReadonlySet<string> = new Set([
  ...PUBLIC_GETS.flatMap((path) => [`GET ${path}`, `HEAD ${path}`]),
  'POST /dashboard/session',
]);

/** Whether a matched route (undefined: nothing matched, so 404/405) may be served without a token. */
export function isPublicRoute(method: string, routePattern: string | undefined): boolean {
  return routePattern !== undefined && PUBLIC_ROUTES.has(`${method} ${routePattern}`);
}

// Both sides hashed first: equal lengths for timingSafeEqual, and no early exit that leaks the length.
const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

export function checkBearer(header: string | undefined, admin: AdminIdentity): void {
  if (!header) throw GraphError.unauthorized('Access token is empty.');
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match)
    throw GraphError.unauthorized(
      'Access token validation failure: expected "Authorization: Bearer <token>".',
    );
  if (!timingSafeEqual(digest(match[1]!), digest(admin.token))) {
    throw GraphError.unauthorized('Access token validation failure. Invalid signature.');
  }
}
