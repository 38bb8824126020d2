import { GraphError } from './graph/errors.ts';

/**
 * Input limits of the HTTP API, each refused with a Graph-shaped 400 before any work is done on
 * the input (so no hostile input reaches a recursive parser or a handler that expects one value).
 */

/** Nesting of arrays and objects in a JSON body; fleetsim's deepest body (enroll) nests 5 deep. */
export const JSON_DEPTH_MAX = 32;

/**
 * Throws a 400 when `text` nests arrays or objects deeper than JSON_DEPTH_MAX. One pass over the
 * characters, no recursion: it runs before JSON.parse and schema validation, which recurse.
 */
export function checkJsonDepth(text: string): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > JSON_DEPTH_MAX)
        throw GraphError.badRequest(
          `The request body nests objects or arrays deeper than ${JSON_DEPTH_MAX} levels (at character ${i}).`,
        );
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
}

/**
 * Graph answers a query option given twice with 400; the query-string parser hands us an array
 * for it, which no handler expects.
 */
export function checkQueryOptionsOnce(query: unknown): void {
  if (query === null || typeof query !== 'object') return;
  for (const [name, value] of Object.entries(query)) {
    if (Array.isArray(value))
      throw GraphError.badRequest(
        `Query option '${name}' was specified more than once, but it must be specified at most once.`,
      );
  }
}
