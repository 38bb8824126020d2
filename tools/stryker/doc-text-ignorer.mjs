// @ts-check
import { declareValuePlugin, PluginKind } from '@stryker-mutator/api/plugin';

/**
 * Stryker ignore-plugin `doc-text`: an effect row's `dataType` and `note` (agent/model/effects) are
 * read only by tools/behavior-matrix.ts, to write docs/behavior-matrix.md; no code path of the
 * simulator reads them, so mutating their text cannot change behaviour. Only those two keys, only
 * with a literal text value, only in an object that also has an `op` or a `specId` key (an effect
 * row, or the part of one a helper completes), so a row's specId, platforms and op stay mutated.
 */
const DOC_KEYS = new Set(['dataType', 'note']);

/** @param {any} path a Babel NodePath */
function isEffectRowDocText(path) {
  if (!path.isObjectProperty()) return false;
  const key = path.node.key;
  if (key.type !== 'Identifier' || !DOC_KEYS.has(key.name)) return false;
  const value = path.node.value;
  if (value.type !== 'StringLiteral' && value.type !== 'TemplateLiteral') return false;
  const siblings = path.parentPath.node.properties ?? [];
  return siblings.some(
    (/** @type {any} */ p) =>
      p.type === 'ObjectProperty' &&
      p.key.type === 'Identifier' &&
      (p.key.name === 'op' || p.key.name === 'specId'),
  );
}

export const strykerPlugins = [
  declareValuePlugin(PluginKind.Ignore, 'doc-text', {
    /** @param {any} path */
    shouldIgnore(path) {
      return isEffectRowDocText(path)
        ? "An effect row's dataType/note text is read only by tools/behavior-matrix.ts (docs/behavior-matrix.md); no behaviour depends on it"
        : undefined;
    },
  }),
];
