import type { FactValue } from './schema.ts';

/**
 * Facts about a device, as scenario files write them: a dotted path into the device's view
 * (`state.management.enrolled`, `identity.platform`), where `[field=value]` keeps the items of a list
 * that match (`state.certificates[source=intune].revoked`), and what it must be:
 * - a value: equal to it — for a list, every item matched, and at least one;
 * - `present` / `absent`: a list has items / has none (or a value is set / null);
 * - `{count}`, `{min}`, `{max}`: the number of items in a list.
 */
export class FactPathError extends Error {
  override name = 'FactPathError';
}

interface Segment {
  name: string;
  where: { key: string; value: string } | null;
}

function parsePath(path: string): Segment[] {
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
  for (const seg of parsePath(path)) {
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
      } else if (plural && Array.isArray(field)) {
        next.push(...field);
      } else next.push(field);
    }
    values = next;
  }
  return { values, plural };
}

export function checkFact(root: unknown, path: string, expected: FactValue): { ok: boolean; found: unknown } {
  const { values, plural } = resolvePath(root, path);
  const single = plural ? undefined : values[0];
  const items = plural ? values : Array.isArray(single) ? single : null;
  if (expected !== null && typeof expected === 'object') {
    if (!items) return { ok: false, found: single };
    const n = items.length;
    const ok =
      (expected.count === undefined || n === expected.count) &&
      (expected.min === undefined || n >= expected.min) &&
      (expected.max === undefined || n <= expected.max);
    return { ok, found: { count: n } };
  }
  if (expected === 'present' || expected === 'absent') {
    const present = items ? items.length > 0 : single !== null && single !== undefined;
    return { ok: present === (expected === 'present'), found: items ? { count: items.length } : single };
  }
  if (plural) {
    return {
      ok: values.length > 0 && values.every((v) => v === expected),
      found: values.length > 0 ? [...new Set(values)] : 'no matching items',
    };
  }
  return { ok: single === expected, found: single };
}
