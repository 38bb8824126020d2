import { createHash, randomBytes } from 'node:crypto';
import type { Secrets } from './service/types.ts';

/** Real randomness for credentials: tokens are secrets, not part of a replayable run. */
export const cryptoSecrets: Secrets = {
  newToken: () => randomBytes(24).toString('base64url'),
  hash: (token) => createHash('sha256').update(token).digest('hex'),
};
