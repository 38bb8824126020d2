import type { z } from 'zod';
import { GraphError } from './graph/errors.ts';

/**
 * Validates a request body against a schema; the error names the field, what was expected and
 * what was given, in Graph's words where Graph has them.
 */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown, typeName: string): T {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.join('.');
  if (issue.code === 'unrecognized_keys') {
    throw GraphError.badRequest(`Property '${issue.keys[0]}' does not exist on type '${typeName}'.`);
  }
  if (issue.code === 'invalid_type') {
    const given = field ? valueAt(body, issue.path) : body;
    throw GraphError.badRequest(
      field
        ? `Invalid value for property '${field}': expected ${issue.expected}, got ${JSON.stringify(given) ?? 'nothing'}.`
        : `The request body must be a JSON object, got ${JSON.stringify(given)}.`,
    );
  }
  throw GraphError.badRequest(
    field ? `Invalid value for property '${field}': ${issue.message}.` : issue.message,
  );
}

function valueAt(body: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = body;
  for (const key of path)
    v = v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[key] : undefined;
  return v;
}
