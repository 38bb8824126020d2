/**
 * A small OData $filter parser and evaluator for the properties Intune's managedDevices list can
 * be filtered on: comparisons (eq ne lt le gt ge), and, or, not, parentheses, startswith(),
 * contains() and endswith().
 * Values: 'strings' ('' escapes a quote), numbers, true/false, null, and ISO date-times.
 */
export type FilterValue = string | number | boolean | null;

export type FilterNode =
  | { kind: 'compare'; property: string; op: 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge'; value: FilterValue }
  | { kind: 'startswith' | 'contains' | 'endswith'; property: string; value: string }
  | { kind: 'and' | 'or'; left: FilterNode; right: FilterNode }
  | { kind: 'not'; operand: FilterNode };

export class ODataError extends Error {
  override name = 'ODataError';
}

/** What a filterable property holds: text (enums included), an ISO date-time, a number, a boolean. */
export type PropertyType = 'string' | 'dateTime' | 'number' | 'boolean';
/** Filterable properties by name (exact, case-sensitive as in Graph) and what each holds. */
export type FilterProperties = ReadonlyMap<string, PropertyType>;

/** Types of Graph properties filtered here: its date-time ones end in DateTime; the rest are text or enums. */
export function graphProperties(names: readonly string[]): FilterProperties {
  return new Map(names.map((n) => [n, n.endsWith('DateTime') ? 'dateTime' : 'string']));
}

/** OData's names for the types, as Graph's errors say them. */
const EDM: Record<PropertyType, string> = {
  string: 'Edm.String',
  dateTime: 'Edm.DateTimeOffset',
  number: 'Edm.Int64',
  boolean: 'Edm.Boolean',
};
const OPERATOR_KIND = {
  eq: 'Equal',
  ne: 'NotEqual',
  lt: 'LessThan',
  le: 'LessThanOrEqual',
  gt: 'GreaterThan',
  ge: 'GreaterThanOrEqual',
} as const;

type Token = { type: 'name' | 'string' | 'number' | 'datetime' | 'punct'; text: string; at: number };

const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})/;

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i]!;
    if (c === ' ' || c === '\t') {
      i++;
    } else if (c === '(' || c === ')' || c === ',') {
      tokens.push({ type: 'punct', text: c, at: i++ });
    } else if (c === "'") {
      let text = '';
      let j = i + 1;
      for (;;) {
        // Stryker disable next-line EqualityOperator: at j = length input[j] is undefined, so one more pass moves j past the end and throws the same error
        if (j >= input.length)
          throw new ODataError(`Unterminated string literal at position ${i} in $filter.`);
        if (input[j] === "'") {
          if (input[j + 1] === "'") {
            text += "'";
            j += 2;
            continue;
          }
          break;
        }
        text += input[j++];
      }
      tokens.push({ type: 'string', text, at: i });
      i = j + 1;
    } else {
      const rest = input.slice(i);
      const dt = DATETIME.exec(rest);
      if (dt) {
        tokens.push({ type: 'datetime', text: dt[0], at: i });
        i += dt[0].length;
        continue;
      }
      const num = /^-?\d+(\.\d+)?/.exec(rest);
      if (num) {
        tokens.push({ type: 'number', text: num[0], at: i });
        i += num[0].length;
        continue;
      }
      const name = /^[A-Za-z_][A-Za-z0-9_/]*/.exec(rest);
      if (!name) throw new ODataError(`Syntax error at position ${i} in $filter: unexpected '${c}'.`);
      tokens.push({ type: 'name', text: name[0], at: i });
      i += name[0].length;
    }
  }
  return tokens;
}

const COMPARISONS = new Set(['eq', 'ne', 'lt', 'le', 'gt', 'ge']);

/** Parentheses and `not` nested deeper than this are refused: the parser and evaluator recurse. */
export const FILTER_DEPTH_MAX = 32;
/** Longer filters are refused before tokenizing (a whole page of conditions fits easily). */
export const FILTER_CHARS_MAX = 8 * 1024;

/**
 * Parses `$filter`; `properties` is the allow-list with each property's type. A comparison of a
 * property with a literal of another type (`osVersion ge 10`) is refused as Graph refuses it.
 */
export function parseFilter(input: string, properties: FilterProperties): FilterNode {
  if (input.length > FILTER_CHARS_MAX)
    throw new ODataError(`The $filter expression is longer than ${FILTER_CHARS_MAX} characters.`);
  const tokens = tokenize(input);
  let pos = 0;
  let depth = 0;
  /** Runs `inner` one nesting level down, refusing past FILTER_DEPTH_MAX. */
  const nested = <T>(at: number, inner: () => T): T => {
    if (++depth > FILTER_DEPTH_MAX)
      throw new ODataError(
        `The $filter expression nests deeper than ${FILTER_DEPTH_MAX} levels at position ${at}.`,
      );
    const result = inner();
    depth--;
    return result;
  };
  const peek = () => tokens[pos];
  const next = () => {
    const t = tokens[pos++];
    if (!t) throw new ODataError('Unexpected end of $filter expression.');
    return t;
  };
  const expectPunct = (p: string) => {
    const t = next();
    if (t.type !== 'punct' || t.text !== p)
      throw new ODataError(`Expected '${p}' at position ${t.at} in $filter.`);
  };
  const property = (): string => {
    const t = next();
    if (t.type !== 'name') throw new ODataError(`Expected a property name at position ${t.at} in $filter.`);
    if (!properties.has(t.text)) {
      throw new ODataError(
        `Could not find a property named '${t.text}' on type 'microsoft.graph.managedDevice' that can be filtered.`,
      );
    }
    return t.text;
  };
  /** A literal's type as OData reads it, with its EDM name; null for null, which meets any type. */
  const literalType = (t: Token): { type: PropertyType; edm: string } | null => {
    if (t.type === 'string') return { type: 'string', edm: 'Edm.String' };
    if (t.type === 'datetime') return { type: 'dateTime', edm: 'Edm.DateTimeOffset' };
    if (t.type === 'number')
      return { type: 'number', edm: t.text.includes('.') ? 'Edm.Decimal' : 'Edm.Int32' };
    if (t.text === 'null') return null;
    return { type: 'boolean', edm: 'Edm.Boolean' };
  };
  const literal = (): FilterValue => {
    const t = next();
    if (t.type === 'string' || t.type === 'datetime') return t.text;
    if (t.type === 'number') return Number(t.text);
    // Stryker disable next-line ConditionalExpression: only names and punctuation are left here, and punctuation is never true, false or null
    if (t.type === 'name' && (t.text === 'true' || t.text === 'false')) return t.text === 'true';
    // Stryker disable next-line ConditionalExpression: only names and punctuation are left here, and punctuation is never true, false or null
    if (t.type === 'name' && t.text === 'null') return null;
    throw new ODataError(`Expected a literal at position ${t.at} in $filter, found '${t.text}'.`);
  };
  const primary = (): FilterNode => {
    const t = peek();
    if (!t) throw new ODataError('Unexpected end of $filter expression.');
    if (t.type === 'punct' && t.text === '(') {
      next();
      const inner = nested(t.at, or);
      expectPunct(')');
      return inner;
    }
    if (t.type === 'name' && t.text === 'not') {
      next();
      return { kind: 'not', operand: nested(t.at, primary) };
    }
    if (t.type === 'name' && (t.text === 'startswith' || t.text === 'contains' || t.text === 'endswith')) {
      const fn = next().text as 'startswith' | 'contains' | 'endswith';
      expectPunct('(');
      const prop = property();
      expectPunct(',');
      const value = literal();
      expectPunct(')');
      if (typeof value !== 'string') throw new ODataError(`${fn} takes a string literal.`);
      if (properties.get(prop) !== 'string')
        throw new ODataError(
          `No function signature for the function with name '${fn}' matches the specified arguments. The function signatures considered are: ${fn}(Edm.String Nullable=true, Edm.String Nullable=true).`,
        );
      return { kind: fn, property: prop, value };
    }
    const prop = property();
    const opToken = next();
    if (opToken.type !== 'name' || !COMPARISONS.has(opToken.text)) {
      throw new ODataError(
        `Expected a comparison operator (eq, ne, lt, le, gt, ge) at position ${opToken.at} in $filter.`,
      );
    }
    const op = opToken.text as keyof typeof OPERATOR_KIND;
    const token = peek();
    const value = literal(); // refuses anything but a literal
    const lit = literalType(token!);
    const propType = properties.get(prop)!;
    if (lit && lit.type !== propType)
      throw new ODataError(
        `A binary operator with incompatible types was detected. Found operand types '${EDM[propType]}' and '${lit.edm}' for operator kind '${OPERATOR_KIND[op]}'.`,
      );
    return { kind: 'compare', property: prop, op, value };
  };
  const and = (): FilterNode => {
    let left = primary();
    while (peek()?.type === 'name' && peek()!.text === 'and') {
      next();
      left = { kind: 'and', left, right: primary() };
    }
    return left;
  };
  const or = (): FilterNode => {
    let left = and();
    while (peek()?.type === 'name' && peek()!.text === 'or') {
      next();
      left = { kind: 'or', left, right: and() };
    }
    return left;
  };
  if (tokens.length === 0) throw new ODataError('The $filter expression is empty.');
  const tree = or();
  if (pos < tokens.length)
    throw new ODataError(`Unexpected '${tokens[pos]!.text}' at position ${tokens[pos]!.at} in $filter.`);
  return tree;
}

function compare(a: unknown, b: FilterValue): number {
  if (a === null || a === undefined || b === null)
    return a === b || (a === undefined && b === null) ? 0 : Number.NaN;
  // The parser lets through only a literal of the property's type: a number literal meets a number.
  if (typeof b === 'number') return Number(a) - b;
  const sa = String(a);
  const sb = String(b);
  // Date-times compare as instants, whatever their offset notation.
  if (DATETIME.test(sa) && DATETIME.test(sb)) return Date.parse(sa) - Date.parse(sb);
  return sa.toLowerCase() < sb.toLowerCase() ? -1 : sa.toLowerCase() > sb.toLowerCase() ? 1 : 0;
}

/** Evaluates a parsed filter on one record (string comparisons are case-insensitive, as Graph's). */
export function matches(node: FilterNode, record: Record<string, unknown>): boolean {
  switch (node.kind) {
    case 'and':
      return matches(node.left, record) && matches(node.right, record);
    case 'or':
      return matches(node.left, record) || matches(node.right, record);
    case 'not':
      return !matches(node.operand, record);
    case 'startswith':
    case 'contains':
    case 'endswith': {
      const v = record[node.property];
      if (typeof v !== 'string') return false;
      const [hay, needle] = [v.toLowerCase(), node.value.toLowerCase()];
      return node.kind === 'startswith'
        ? hay.startsWith(needle)
        : node.kind === 'endswith'
          ? hay.endsWith(needle)
          : hay.includes(needle);
    }
    case 'compare': {
      const c = compare(record[node.property], node.value);
      // A comparison with null gives NaN: false for every operator but `ne`, as the table yields.
      return { eq: c === 0, ne: c !== 0, lt: c < 0, le: c <= 0, gt: c > 0, ge: c >= 0 }[node.op];
    }
  }
}
