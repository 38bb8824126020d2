import { timingSafeEqual } from 'node:crypto';
import { GraphError } from './graph/errors.ts';

/**
 * Bearer-token authentication: one token stands for one admin. Everything under /v1.0, /beta and
 * /sim needs it; the OpenAPI document and the dashboard do not.
 */
export interface AdminIdentity {
  token: string;
  userPrincipalName: string;
}

export function checkBearer(header: string | undefined, admin: AdminIdentity): void {
  if (!header) throw GraphError.unauthorized('Access token is empty.');
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match)
    throw GraphError.unauthorized(
      'Access token validation failure: expected "Authorization: Bearer <token>".',
    );
  const given = Buffer.from(match[1]!);
  const expected = Buffer.from(admin.token);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw GraphError.unauthorized('Access token validation failure. Invalid signature.');
  }
}
