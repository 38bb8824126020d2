import { describe, expect, it } from 'vitest';
import { cryptoSecrets } from '../../broker/secrets.ts';

describe('the credentials the service makes (broker/secrets.ts)', () => {
  it('are 48 hex digits, so none begins with a dash a command line would read as an option', () => {
    const tokens = Array.from({ length: 2_000 }, () => cryptoSecrets.newToken());
    for (const t of tokens) expect(t).toMatch(/^[0-9a-f]{48}$/);
    expect(new Set(tokens).size).toBe(tokens.length);
  });
});
