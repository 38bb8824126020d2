import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** The dashboard as fleetsim serves it: one HTML page, one script, one stylesheet. */
export interface DashboardAssets {
  html: string;
  js: string;
  css: string;
}

const here = dirname(fileURLToPath(import.meta.url));

/**
 * Bundles the page in memory with esbuild (already installed: tsx runs on it). Built when first
 * asked for rather than by an install script, so `npm ci && npx fleetsim demo` needs no build
 * step, the page always matches the sources, and nothing built lands in the tree.
 */
export async function buildDashboard(): Promise<DashboardAssets> {
  const result = await build({
    entryPoints: [join(here, 'src/main.tsx')],
    bundle: true,
    write: false,
    outdir: 'out',
    format: 'esm',
    minify: true,
    target: ['chrome115', 'firefox115'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    logLevel: 'silent',
    legalComments: 'none',
  });
  const text = (ext: string) => result.outputFiles.find((f) => f.path.endsWith(ext))?.text ?? '';
  return {
    html: await readFile(join(here, 'index.html'), 'utf8'),
    js: text('.js'),
    css: text('.css'),
  };
}
