import { describe, expect, it } from 'vitest';
import { runExplain } from '../../cli/explain.ts';

describe('fleetsim explain', () => {
  const text = runExplain({ seed: 'demo', perPlatform: 1 });
  const lines = text.split('\n');

  it('keeps its columns apart: every value has a space before it, "registered" included', () => {
    const rows = lines.filter((l) => /^ {4}(before|after retire|after wipe) /.test(l));
    expect(rows.length).toBe(36);
    for (const row of rows) expect(row, row).not.toMatch(/(true|false)(registered|joined|none)/);
    const header = lines.find((l) => l.includes('wifi/vpn') && l.includes('azureAD'))!;
    expect(header.trim().split(/ {2,}/)).toEqual([
      'apps',
      'data',
      'certs',
      'revoked',
      'wifi/vpn',
      'email',
      'enforced',
      'policies',
      'managed',
      'azureAD',
      'accounts',
      'files',
    ]);
  });

  it('has a legend, and says the wipe starts from the state before, not after the retire', () => {
    expect(text).toContain('the wipe row is the device wiped as it was, not after the retire');
    expect(text).toMatch(/^ {2}azureAD {3}Azure AD: joined, registered or none$/m);
  });
});
