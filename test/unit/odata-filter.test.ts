import { describe, expect, it } from 'vitest';
import {
  FILTER_CHARS_MAX,
  FILTER_DEPTH_MAX,
  graphProperties,
  matches,
  ODataError,
  type PropertyType,
  parseFilter,
} from '../../broker/http/graph/odata-filter.ts';

const PROPS = new Map<string, PropertyType>([
  ['operatingSystem', 'string'],
  ['osVersion', 'string'],
  ['deviceName', 'string'],
  ['lastSyncDateTime', 'dateTime'],
  ['managementState', 'string'],
  ['emailAddress', 'string'],
  ['imei', 'string'],
  ['isEncrypted', 'boolean'],
  ['totalStorageSpaceInBytes', 'number'],
  ['notes', 'string'],
]);
const device = {
  operatingSystem: 'Windows',
  osVersion: '10.0.19045.5131',
  deviceName: "DESKTOP-O'NEIL",
  lastSyncDateTime: '2026-01-05T10:00:00Z',
  managementState: 'wipePending',
};
const check = (f: string) => matches(parseFilter(f, PROPS), device);

/** Two records as the list route sees them: a PC with no e-mail and no IMEI, a phone with both. */
const FLEET: Record<string, unknown>[] = [
  {
    deviceName: 'DESKTOP-A1',
    operatingSystem: 'Windows',
    osVersion: '10.0.19045.5131',
    lastSyncDateTime: '2026-01-05T10:00:00Z',
    emailAddress: null,
    isEncrypted: true,
    totalStorageSpaceInBytes: 256,
  },
  {
    deviceName: 'iPhone-B2',
    operatingSystem: 'iOS',
    osVersion: '17.5',
    lastSyncDateTime: '2026-01-04T08:30:00Z',
    emailAddress: 'b@contoso.com',
    imei: '35 209900 176148 1',
    isEncrypted: false,
    totalStorageSpaceInBytes: 64,
  },
];
const selected = (f: string) => {
  const tree = parseFilter(f, PROPS);
  return FLEET.filter((d) => matches(tree, d)).map((d) => d.deviceName);
};

/** The refusal a filter gets: its class, name and exact message. */
function refusalOf(filter: string): string {
  try {
    parseFilter(filter, PROPS);
  } catch (e) {
    expect(e, filter).toBeInstanceOf(ODataError);
    expect((e as Error).name).toBe('ODataError');
    return (e as Error).message;
  }
  throw new Error(`${filter} was accepted`);
}

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

describe('$filter over a fleet: which devices each filter selects', () => {
  it.each([
    // Every comparison operator, below, at and above the value (text compares case-insensitively).
    ["operatingSystem ne 'iOS'", ['DESKTOP-A1']],
    ["deviceName lt 'E'", ['DESKTOP-A1']],
    ["deviceName lt 'desktop-a1'", []],
    ["deviceName le 'desktop-a1'", ['DESKTOP-A1']],
    ["deviceName gt 'desktop-a1'", ['iPhone-B2']],
    ["deviceName ge 'iphone-b2'", ['iPhone-B2']],
    ["deviceName ge 'iphone-b3'", []],
    // Numbers compare as numbers (256 > 100 although '256' < '64' as text), decimals included.
    ['totalStorageSpaceInBytes gt 100', ['DESKTOP-A1']],
    ['totalStorageSpaceInBytes le 64', ['iPhone-B2']],
    ['totalStorageSpaceInBytes lt 64.25', ['iPhone-B2']],
    ['totalStorageSpaceInBytes gt -1', ['DESKTOP-A1', 'iPhone-B2']],
    // Booleans.
    ['isEncrypted eq true', ['DESKTOP-A1']],
    ['isEncrypted eq false', ['iPhone-B2']],
    ['isEncrypted ne true', ['iPhone-B2']],
    // null: a null or absent property equals null; nothing else does; null is not ordered.
    ['emailAddress eq null', ['DESKTOP-A1']],
    ['emailAddress ne null', ['iPhone-B2']],
    ['imei eq null', ['DESKTOP-A1']],
    ['deviceName eq null', []],
    ["emailAddress eq 'null'", []],
    ["imei eq 'undefined'", []],
    ["imei ne 'x'", ['DESKTOP-A1', 'iPhone-B2']],
    ['deviceName lt null', []],
    ["emailAddress lt 'z'", ['iPhone-B2']],
    // Date-times compare as instants: with an offset, without seconds, with a fraction.
    ['lastSyncDateTime eq 2026-01-05T11:00:00+01:00', ['DESKTOP-A1']],
    ['lastSyncDateTime ge 2026-01-05T10:00Z', ['DESKTOP-A1']],
    ['lastSyncDateTime lt 2026-01-05T10:00:00.125Z', ['DESKTOP-A1', 'iPhone-B2']],
    // startswith, contains and endswith: case-insensitive, false on a null property.
    ["startswith(deviceName, 'desk')", ['DESKTOP-A1']],
    ["startswith(deviceName, 'TOP')", []],
    ["contains(deviceName, 'top')", ['DESKTOP-A1']],
    ["contains(deviceName, 'PHONE')", ['iPhone-B2']],
    ["endswith(deviceName, 'b2')", ['iPhone-B2']],
    ["endswith(deviceName, 'desk')", []],
    ["startswith(emailAddress, 'B@')", ['iPhone-B2']],
    ["endswith(emailAddress, '.com')", ['iPhone-B2']],
    // and, or, not, parentheses; tabs are whitespace.
    ["operatingSystem eq 'Windows' and isEncrypted eq true", ['DESKTOP-A1']],
    ["isEncrypted eq true and operatingSystem eq 'iOS'", []],
    ["operatingSystem eq 'iOS' or isEncrypted eq true", ['DESKTOP-A1', 'iPhone-B2']],
    ["not contains(deviceName, 'top')", ['iPhone-B2']],
    ["operatingSystem\teq\t'Windows'", ['DESKTOP-A1']],
  ])('%s', (filter, expected) => {
    expect(selected(filter)).toEqual(expected);
  });
});

describe('$filter refusals: the exact message a Graph client gets after "Invalid filter clause: "', () => {
  it.each([
    ["operatingSystem eq 'Windows' $x", "Syntax error at position 29 in $filter: unexpected '$'."],
    ['operatingSystem eq #', "Syntax error at position 19 in $filter: unexpected '#'."],
    ["startswith(osVersion '10')", "Expected ',' at position 21 in $filter."],
    ["startswith(osVersion ',' '10')", "Expected ',' at position 21 in $filter."],
    ['startswith(osVersion)', "Expected ',' at position 20 in $filter."],
    ["'Windows' eq operatingSystem", 'Expected a property name at position 0 in $filter.'],
    [')', 'Expected a property name at position 0 in $filter.'],
    ["'(' eq deviceName", 'Expected a property name at position 0 in $filter.'],
    ["'not' eq deviceName", 'Expected a property name at position 0 in $filter.'],
    ["'contains'", 'Expected a property name at position 0 in $filter.'],
    [
      "operatingSystem 'eq' 'Windows'",
      'Expected a comparison operator (eq, ne, lt, le, gt, ge) at position 16 in $filter.',
    ],
    ['operatingSystem eq Windows', "Expected a literal at position 19 in $filter, found 'Windows'."],
    ['operatingSystem eq )', "Expected a literal at position 19 in $filter, found ')'."],
    ['not', 'Unexpected end of $filter expression.'],
    ['operatingSystem eq', 'Unexpected end of $filter expression.'],
    ["operatingSystem eq 'Windows' and", 'Unexpected end of $filter expression.'],
    ['contains(deviceName, true)', 'contains takes a string literal.'],
    ['endswith(deviceName, null)', 'endswith takes a string literal.'],
    ["deviceName eq 'O''NEIL", 'Unterminated string literal at position 14 in $filter.'],
  ])('%s', (filter, message) => {
    expect(refusalOf(filter)).toBe(message);
  });

  it(`accepts ${FILTER_CHARS_MAX} characters and refuses one more, before reading any of it`, () => {
    const of = (length: number) => `deviceName eq '${'x'.repeat(length - 16)}'`;
    expect(of(FILTER_CHARS_MAX)).toHaveLength(FILTER_CHARS_MAX);
    expect(selected(of(FILTER_CHARS_MAX))).toEqual([]);
    expect(refusalOf(of(FILTER_CHARS_MAX + 1))).toBe(
      `The $filter expression is longer than ${FILTER_CHARS_MAX} characters.`,
    );
    expect(refusalOf(`${'#'.repeat(FILTER_CHARS_MAX + 1)}`)).toBe(
      `The $filter expression is longer than ${FILTER_CHARS_MAX} characters.`,
    );
  });

  it(`accepts ${FILTER_DEPTH_MAX} nested parentheses or nots and refuses one more, naming where`, () => {
    const parens = (n: number) => `${'('.repeat(n)}operatingSystem eq 'iOS'${')'.repeat(n)}`;
    const nots = (n: number) => `${'not '.repeat(n)}operatingSystem eq 'iOS'`;
    expect(selected(parens(FILTER_DEPTH_MAX))).toEqual(['iPhone-B2']);
    expect(selected(nots(FILTER_DEPTH_MAX))).toEqual(['iPhone-B2']); // an even number of nots
    expect(refusalOf(parens(FILTER_DEPTH_MAX + 1))).toBe(
      `The $filter expression nests deeper than ${FILTER_DEPTH_MAX} levels at position ${FILTER_DEPTH_MAX}.`,
    );
    expect(refusalOf(nots(FILTER_DEPTH_MAX + 1))).toBe(
      `The $filter expression nests deeper than ${FILTER_DEPTH_MAX} levels at position ${4 * FILTER_DEPTH_MAX}.`,
    );
  });

  it('counts depth, not groups: many parenthesised conditions side by side are accepted', () => {
    const groups = Array.from({ length: 2 * FILTER_DEPTH_MAX }, () => "(operatingSystem eq 'Windows')");
    expect(selected(groups.join(' and '))).toEqual(['DESKTOP-A1']);
  });
});

describe('$filter types: a literal of another type than the property is refused, as Graph refuses it', () => {
  it.each([
    ['osVersion ge 10', "'Edm.String' and 'Edm.Int32' for operator kind 'GreaterThanOrEqual'"],
    ['osVersion eq 10.5', "'Edm.String' and 'Edm.Decimal' for operator kind 'Equal'"],
    [
      "lastSyncDateTime gt 'yesterday'",
      "'Edm.DateTimeOffset' and 'Edm.String' for operator kind 'GreaterThan'",
    ],
    [
      'deviceName ne 2026-01-05T10:00:00Z',
      "'Edm.String' and 'Edm.DateTimeOffset' for operator kind 'NotEqual'",
    ],
    ["isEncrypted eq 'yes'", "'Edm.Boolean' and 'Edm.String' for operator kind 'Equal'"],
    ['totalStorageSpaceInBytes lt true', "'Edm.Int64' and 'Edm.Boolean' for operator kind 'LessThan'"],
    ["totalStorageSpaceInBytes le '64'", "'Edm.Int64' and 'Edm.String' for operator kind 'LessThanOrEqual'"],
  ])('%s', (filter, types) => {
    expect(() => parseFilter(filter, PROPS)).toThrow(
      `A binary operator with incompatible types was detected. Found operand types ${types}.`,
    );
  });

  it('null compares with a property of any type', () => {
    for (const p of ['osVersion', 'lastSyncDateTime', 'isEncrypted', 'totalStorageSpaceInBytes'])
      expect(() => parseFilter(`${p} eq null`, PROPS), p).not.toThrow();
  });

  it('startswith, contains and endswith take a text property', () => {
    expect(() => parseFilter("startswith(lastSyncDateTime, '2026')", PROPS)).toThrow(
      "No function signature for the function with name 'startswith' matches the specified arguments. The function signatures considered are: startswith(Edm.String Nullable=true, Edm.String Nullable=true).",
    );
    expect(() => parseFilter("contains(totalStorageSpaceInBytes, '6')", PROPS)).toThrow(
      "No function signature for the function with name 'contains'",
    );
  });

  it('a text property whose value looks like a date-time still compares as text with a text literal', () => {
    const record = { notes: '2026-01-05T10:00:00Z' };
    expect(matches(parseFilter("notes lt 'a'", PROPS), record)).toBe(true); // '2' < 'a'
    expect(matches(parseFilter("notes gt 'a'", PROPS), record)).toBe(false);
  });
});

describe('graphProperties', () => {
  it("types Graph's properties: the ones ending in DateTime are date-times, the rest text", () => {
    expect([
      ...graphProperties(['lastSyncDateTime', 'deviceName', 'requestDateTime', 'dateTimeZone']),
    ]).toEqual([
      ['lastSyncDateTime', 'dateTime'],
      ['deviceName', 'string'],
      ['requestDateTime', 'dateTime'],
      ['dateTimeZone', 'string'],
    ]);
  });
});
