import { PLATFORMS } from '../../sim/platforms/index.ts';
import { PLATFORM_ONLY_FIELDS } from '../../sim/platforms/vocabulary.ts';
import { allPaths, FACT_ROOT, type Shape, type ShapeContext } from './fact-shape.ts';
import { FactPathError, parsePath } from './facts.ts';
import type { FactValue } from './schema.ts';

/**
 * Checks a fact when the scenario loads, so that nothing can pass by checking nothing: the path
 * exists in the device's shape (and on every platform of the target), selectors name a field of the
 * list's items and a value it can take, and the expected value is one the field can hold.
 * Returns the problem, or null.
 */

type Leaf = Extract<Shape, { t: 'boolean' | 'number' | 'string' }>;

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = row[j]!;
      row[j] = Math.min(up + 1, row[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return row[b.length]!;
}

/** The three valid paths nearest the given one (selectors left out). */
export function nearestPaths(path: string): string[] {
  const bare = path.replace(/\[[^\]]*\]/g, '');
  return allPaths()
    .map((p) => ({ p, d: distance(bare, p) }))
    .sort((a, b) => a.d - b.d || a.p.localeCompare(b.p))
    .slice(0, 3)
    .map((x) => x.p);
}

/** Why `value` (a YAML value, or a selector's text when `fromText`) cannot be this field's; or null. */
function wrongValue(leaf: Leaf, value: unknown, ctx: ShapeContext, fromText: boolean): string | null {
  if (value === null) return leaf.nullable ? null : 'is never null';
  if (leaf.t === 'boolean') {
    const ok = fromText ? value === 'true' || value === 'false' : typeof value === 'boolean';
    return ok ? null : 'is true or false';
  }
  if (leaf.t === 'number') {
    // Stryker disable next-line Regex: only a selector's text is matched here, and it never holds a '.' (parsePath splits the path on dots first), so the fractional part is never tried
    const ok = fromText ? /^-?\d+(\.\d+)?$/.test(String(value)) : typeof value === 'number';
    return ok ? null : 'is a number';
  }
  if (typeof value !== 'string') return 'is text';
  const allowed = leaf.values?.(ctx);
  if (allowed && !allowed.includes(value))
    return `is one of ${allowed.join(', ')}${leaf.perPlatform ? ` on ${ctx.platforms.map((p) => p.id).join(', ')}` : ''}`;
  return null;
}

function platformProblem(name: string, shape: Shape, ctx: ShapeContext): string | null {
  const only = 'onlyOn' in shape ? shape.onlyOn : undefined;
  if (!only) return null;
  const has = PLATFORM_ONLY_FIELDS[only];
  const lacking = ctx.platforms.filter((p) => !has(p)).map((p) => p.id);
  if (lacking.length === 0) return null;
  const where = Object.values(PLATFORMS)
    .filter(has)
    .map((p) => p.id);
  return `'${name}' exists only on ${where.join(', ')}; the target has ${lacking.join(', ')}`;
}

export function checkFactPath(path: string, expected: FactValue, ctx: ShapeContext): string | null {
  let segments: ReturnType<typeof parsePath>;
  try {
    segments = parsePath(path);
  } catch (e) {
    // Stryker disable next-line ConditionalExpression: parsePath throws nothing but FactPathError
    if (e instanceof FactPathError) return e.message;
    throw e;
  }
  let shape: Shape = FACT_ROOT;
  let plural = false;
  let nullable = false;
  const walked: string[] = [];
  for (const seg of segments) {
    if (shape.t === 'list') plural = true; // into a list's items without a selector: all of them
    const container: Extract<Shape, { t: 'object' }> | null =
      // Stryker disable next-line ConditionalExpression: a leaf has no item, so container is undefined either way and the path is reported unknown the same
      shape.t === 'object' ? shape : shape.t === 'list' ? shape.item : null;
    const next: Shape | undefined = container?.fields[seg.name];
    if (!container || !next)
      return `unknown fact path '${path}': '${[...walked, seg.name].join('.')}' does not exist; nearest valid paths: ${nearestPaths(path).join(', ')}`;
    walked.push(seg.name);
    const platform = platformProblem(walked.join('.'), next, ctx);
    if (platform) return platform;
    // Stryker disable next-line LogicalOperator,ConditionalExpression: no shape writes nullable: false, so a nullable key is always true
    nullable ||= 'nullable' in next && next.nullable === true;
    if (!seg.where) {
      shape = next;
      continue;
    }
    if (next.t !== 'list')
      return `'${walked.join('.')}' in '${path}' is not a list, so [${seg.where.key}=…] cannot select from it`;
    const key = next.item.fields[seg.where.key];
    // Stryker disable next-line ConditionalExpression,StringLiteral: no list's items have an object field (only leaves and lists), so the object test never decides today
    if (!key || key.t === 'object' || key.t === 'list')
      return `the items of '${walked.join('.')}' have no field '${seg.where.key}' to select by; they have ${Object.keys(
        next.item.fields,
      ).join(', ')}`;
    const wrong = wrongValue(key, seg.where.value, ctx, true);
    if (wrong) return `[${seg.where.key}=${seg.where.value}] in '${path}': ${seg.where.key} ${wrong}`;
    plural = true;
    shape = next.item;
  }
  return valueProblem(path, shape, plural || shape.t === 'list', nullable, expected, ctx);
}

function valueProblem(
  path: string,
  shape: Shape,
  many: boolean,
  nullable: boolean,
  expected: FactValue,
  ctx: ShapeContext,
): string | null {
  const isObject = expected !== null && typeof expected === 'object';
  if (isObject && ('count' in expected || 'min' in expected || 'max' in expected))
    return many ? null : `'${path}' is not a list, so {count/min/max} says nothing about it`;
  if (expected === 'present' || expected === 'absent') {
    // A list can be empty and a nullable field unset; anything else (an object too) is always there.
    if (many || nullable) return null;
    // Stryker disable next-line ConditionalExpression,EqualityOperator,StringLiteral: the only text field with a value named present (apps.data.status) is inside a list, answered above; kept so such a value stays a value
    if (shape.t === 'string' && shape.values?.(ctx).includes(expected)) return null;
    return `'${path}' is always set, so '${expected}' checks nothing; give the value it must have`;
  }
  if (isObject && 'everyIfAny' in expected && !many)
    return `'${path}' is not a list, so {everyIfAny} says nothing about it; give the value itself`;
  if (shape.t === 'object' || shape.t === 'list')
    return `'${path}' is ${shape.t === 'list' ? 'a list' : 'an object'}: assert one of its fields (${Object.keys(
      shape.t === 'list' ? shape.item.fields : shape.fields,
    ).join(', ')}), or present, absent, {count}`;
  const values: unknown[] = !isObject
    ? [expected]
    : 'not' in expected
      ? [expected.not]
      : 'oneOf' in expected
        ? expected.oneOf
        : 'everyIfAny' in expected
          ? [expected.everyIfAny]
          : // Stryker disable next-line ArrayDeclaration: unreachable, the schema's object values are count/min/max (answered above), not, oneOf and everyIfAny
            [];
  for (const v of values) {
    const wrong = wrongValue(shape, v, ctx, false);
    if (wrong) return `'${path}' ${wrong}; given ${JSON.stringify(v)}`;
  }
  return null;
}
