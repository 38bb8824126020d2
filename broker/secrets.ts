import { createHash, randomBytes } from 'node:crypto';
import type { Secrets } from './service/types.ts';

/**
 * Real randomness for credentials: tokens are secrets, not part of a replayable run. Hex, not
 * base64url: one base64url token in 64 began with '-', and `--enrollment-token -V…` on a command
 * line is read as an option (commander printed its version and `fleetsim agents` exited).
 */
export const cryptoSecrets: Secrets = {
  newToken: () => randomBytes(24).toString('hex'),
  hash: (token) => createHash('sha256').update(token).digest('hex'),
};
