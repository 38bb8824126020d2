import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { flat } from '../../sim/flat-string.ts';

/**
 * What V8 holds for a kept string, which no JavaScript can observe: read from a heap snapshot of a
 * small node process running `flat`'s own code. (A worker's heap snapshot crashes Node 20.)
 */
function kindOf(build: 'flat' | 'concatenated'): string {
  const dir = mkdtempSync(join(tmpdir(), 'fleetsim-flat-'));
  try {
    const file = join(dir, 'kept.heapsnapshot');
    const code = `
      const flat = ${flat.toString()};
      const s = \`work/Documents/report_\${String(process.hrtime.bigint())}_final.docx\`;
      globalThis.kept = ${JSON.stringify(build)} === 'flat' ? flat(s) : s;
      require('node:v8').writeHeapSnapshot(${JSON.stringify(file)});
`;
    const run = spawnSync(process.execPath, ['-e', code], { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(run.stderr);
    const snap = JSON.parse(readFileSync(file, 'utf8')) as {
      snapshot: {
        meta: {
          node_fields: string[];
          node_types: [string[]];
          edge_fields: string[];
          edge_types: [string[]];
        };
      };
      nodes: number[];
      edges: number[];
      strings: string[];
    };
    const { meta } = snap.snapshot;
    const [nf, ef] = [meta.node_fields.length, meta.edge_fields.length];
    const [typeAt, countAt] = [meta.node_fields.indexOf('type'), meta.node_fields.indexOf('edge_count')];
    const property = meta.edge_types[0].indexOf('property');
    // The global's property `kept`: walk every node's edges for it (edges come in node order).
    for (let n = 0, e = 0; n < snap.nodes.length; n += nf) {
      for (let k = 0; k < snap.nodes[n + countAt]!; k++, e += ef) {
        if (snap.edges[e] !== property || snap.strings[snap.edges[e + 1]!] !== 'kept') continue;
        const type = meta.node_types[0][snap.nodes[snap.edges[e + 2]! + typeAt]!]!;
        if (type.includes('string')) return type;
      }
    }
    return 'not found';
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('flat', () => {
  it('keeps a string built from pieces as one flat string, not a tree of them', () => {
    expect(kindOf('concatenated')).toBe('concatenated string');
    expect(kindOf('flat')).toBe('string');
  });
});
