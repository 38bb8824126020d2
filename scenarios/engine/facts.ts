import type { FactValue } from './schema.ts';

/**
 * Facts about a device, as scenario files write them: a dotted path into the device's view
 * (`state.management.enrolled`, `identity.platform`), where `[field=value]` keeps the items of a list
 * that match (`state.certificates[source=intune].revoked`), and what it must be:
 * - a value: equal to it — for a list, every item matched, and at least one;
 * - `present` / `absent`: a list has items / has none (or a value is set / null);
 * - `{not: v}` / `{oneOf: [a, b]}`: not equal to v / equal to one of them (every item, at least one);
 * - `{everyIfAny: v}`: every item equals v, if there are any (holds on an empty list);
 * - `{count}`, `{min}`, `{max}`: the number of items in a list.
 * Paths, selectors and values are checked against the device's shape when the file loads
 * (fact-check.ts), so a misspelled path is refused there instead of resolving to nothing here.
 */
export class FactPathError extends Error {
  override name = 'FactPathError';
}

export interface Segment {
  name: string;
  where: { key: string; value: string } | null;
}

export function parsePath(path: string): Segment[] {
  return path.split('.').map((part) => {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:\[([A-Za-z_][A-Za-z0-9_]*)=([^\]]*)\])?$/.exec(part);
    if (!m) throw new FactPathError(`'${part}' in '${path}' is not a field name or field[key=value]`);
    return { name: m[1]!, where: m[2] ? { key: m[2], value: m[3]! } : null };
  });
}

/** Resolves a path; `plural` says whether it went through a list (so the result is the items). */
export function resolvePath(root: unknown, path: string): { values: unknown[]; plural: boolean } {
  let values: unknown[] = [root];
  let plural = false;
  const segments = parsePath(path);
  for (const [i, seg] of segments.entries()) {
    const next: unknown[] = [];
    for (const v of values) {
      if (v === null || typeof v !== 'object') continue;
      const field = (v as Record<string, unknown>)[seg.name];
      if (seg.where) {
        if (!Array.isArray(field))
          throw new FactPathError(
            `'${seg.name}' in '${path}' is not a list, so [${seg.where.key}=…] cannot select from it`,
          );
        plural = true;
        next.push(
          ...field.filter(
            (item) =>
              item !== null &&
              typeof item === 'object' &&
              String((item as Record<string, unknown>)[seg.where!.key]) === seg.where!.value,
          ),
        );
      } else if (Array.isArray(field) && (plural || i < segments.length - 1)) {
        // Through a list to its items' fields (state.apps.installed): every item's value.
        plural = true;
        next.push(...field);
      } else next.push(field);
    }
    values = next;
  }
  return { values, plural };
}

/** How one value matches: equal, not equal, or one of several. */
function matcher(expected: FactValue): ((v: unknown) => boolean) | null {
  if (expected === null || typeof expected !== 'object') return (v) => v === expected;
  if ('not' in expected) return (v) => v !== expected.not;
  if ('oneOf' in expected) return (v) => (expected.oneOf as unknown[]).includes(v);
  if ('everyIfAny' in expected) return (v) => v === expected.everyIfAny;
  return null;
}

export function checkFact(root: unknown, path: string, expected: FactValue): { ok: boolean; found: unknown } {
  const { values, plural } = resolvePath(root, path);
  const single = plural ? undefined : values[0];
  const items = plural ? values : Array.isArray(single) ? single : null;
  const matches = matcher(expected);
  if (expected !== null && typeof expected === 'object' && 'everyIfAny' in expected) {
    // Every item, if there are any: holds on an empty list.
    return {
      ok: values.every((v) => matches!(v)),
      found: values.length > 0 ? [...new Set(values)] : 'no matching items',
    };
  }
  if (!matches) {
    const counts = expected as { count?: number; min?: number; max?: number };
    if (!items) return { ok: false, found: single };
    const n = items.length;
    const ok =
      (counts.count === undefined || n === counts.count) &&
      (counts.min === undefined || n >= counts.min) &&
      (counts.max === undefined || n <= counts.max);
    return { ok, found: { count: n } };
  }
  if (expected === 'present' || expected === 'absent') {
    const present = items ? items.length > 0 : single !== null && single !== undefined;
    return { ok: present === (expected === 'present'), found: items ? { count: items.length } : single };
  }
  if (plural) {
    // Every matching item, and at least one.
    return {
      ok: values.length > 0 && values.every(matches),
      found: values.length > 0 ? [...new Set(values)] : 'no matching items',
    };
  }
  return { ok: matches(single), found: single };
}
