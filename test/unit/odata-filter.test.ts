import { describe, expect, it } from 'vitest';
import { matches, ODataError, parseFilter } from '../../broker/http/graph/odata-filter.ts';

const PROPS = new Set(['operatingSystem', 'osVersion', 'deviceName', 'lastSyncDateTime', 'managementState']);
const device = {
  operatingSystem: 'Windows',
  osVersion: '10.0.19045.5131',
  deviceName: "DESKTOP-O'NEIL",
  lastSyncDateTime: '2026-01-05T10:00:00Z',
  managementState: 'wipePending',
};
const check = (f: string) => matches(parseFilter(f, PROPS), device);

describe('$filter', () => {
  it.each([
    ["operatingSystem eq 'Windows'", true],
    ["operatingSystem eq 'windows'", true], // case-insensitive, as Graph
    ["operatingSystem ne 'Windows'", false],
    ["startswith(osVersion, '10.0.19')", true],
    ["startswith(osVersion, '6.3')", false],
    ['lastSyncDateTime gt 2026-01-05T09:00:00Z', true],
    ['lastSyncDateTime lt 2026-01-05T09:00:00Z', false],
    ['lastSyncDateTime ge 2026-01-05T11:00:00+01:00', true],
    ["operatingSystem eq 'iOS' or managementState eq 'wipePending'", true],
    [
      "operatingSystem eq 'Windows' and (managementState eq 'managed' or managementState eq 'wipeIssued')",
      false,
    ],
    ["not (operatingSystem eq 'iOS')", true],
    ["deviceName eq 'DESKTOP-O''NEIL'", true],
  ])('%s → %s', (filter, expected) => {
    expect(check(filter)).toBe(expected);
  });

  it.each([
    ["colour eq 'red'", /Could not find a property named 'colour'/],
    ["operatingSystem equals 'Windows'", /Expected a comparison operator/],
    ["operatingSystem eq 'Windows", /Unterminated string literal/],
    ["(operatingSystem eq 'Windows'", /Unexpected end/],
    ["operatingSystem eq 'Windows' junk", /Unexpected 'junk'/],
    ['', /empty/],
    ['startswith(osVersion, 10)', /string literal/],
  ])('refuses %s', (filter, message) => {
    expect(() => parseFilter(filter, PROPS)).toThrow(ODataError);
    expect(() => parseFilter(filter, PROPS)).toThrow(message);
  });
});
