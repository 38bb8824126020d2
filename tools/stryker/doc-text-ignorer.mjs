// @ts-check
import { declareValuePlugin, PluginKind } from '@stryker-mutator/api/plugin';

/**
 * Stryker ignore-plugin `doc-text`: text in the behaviour tables that no simulator code reads, so
 * mutating it cannot change behaviour. Only literal text, only under these keys, only in objects
 * shaped like these rows, so every other part of a row (a row's spec ID that the device reports,
 * its platforms, its operation, its condition) stays mutated.
 * - An effect row's `dataType` and `note` (agent/model/effects; an object with `op` or `specId`):
 *   read only by tools/behavior-matrix.ts, to write docs/behavior-matrix.md.
 * - A result rule's `specId` and `why` (broker/service/results.ts; an object with `when` and
 *   `effect`): read by no code; only the behaviour-matrix staleness test checks their format.
 */
const SHAPES = [
  {
    keys: new Set(['dataType', 'note']),
    rowHasAny: ['op', 'specId'],
    reason:
      "An effect row's dataType/note text is read only by tools/behavior-matrix.ts (docs/behavior-matrix.md); no behaviour depends on it",
  },
  {
    keys: new Set(['specId', 'why']),
    rowHasAll: ['when', 'effect'],
    reason:
      "A result rule's specId/why text is read by no code (documentation of the row; only the behaviour-matrix staleness test checks its format)",
  },
];

/** @param {any} path a Babel NodePath */
function docTextReason(path) {
  if (!path.isObjectProperty()) return undefined;
  const key = path.node.key;
  const value = path.node.value;
  if (key.type !== 'Identifier') return undefined;
  if (value.type !== 'StringLiteral' && value.type !== 'TemplateLiteral') return undefined;
  const siblings = new Set(
    (path.parentPath.node.properties ?? []).map((/** @type {any} */ p) => p.key?.name).filter(Boolean),
  );
  const shape = SHAPES.find(
    (s) =>
      s.keys.has(key.name) &&
      (!s.rowHasAny || s.rowHasAny.some((k) => siblings.has(k))) &&
      (s.rowHasAll ?? []).every((k) => siblings.has(k)),
  );
  return shape?.reason;
}

export const strykerPlugins = [
  declareValuePlugin(PluginKind.Ignore, 'doc-text', {
    /** @param {any} path */
    shouldIgnore(path) {
      return docTextReason(path);
    },
  }),
];
