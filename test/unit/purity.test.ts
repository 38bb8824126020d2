import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The pure core reads no clock, draws no unseeded randomness and does no I/O (design.md, Time).
 * Scanning the sources is cruder than a lint rule, and it cannot be switched off by a comment.
 */
/** The repository root, whatever directory vitest runs from. */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PURE = ['sim', 'agent/model', 'agent/fleet', 'broker/service'];
/** The clock implementations are where time meets the event loop; everything else asks them. */
const CLOCK_IMPLEMENTATIONS = [
  join(ROOT, 'sim', 'clock', 'virtual-clock.ts'),
  join(ROOT, 'sim', 'clock', 'scaled-clock.ts'),
];
const FORBIDDEN: readonly [RegExp, string][] = [
  [/\bDate\.now\s*\(/, 'Date.now()'],
  [/\bnew Date\s*\(\s*\)/, 'new Date() (the wall clock)'],
  [/\bMath\.random\s*\(/, 'Math.random()'],
  [/\b(setTimeout|setInterval|setImmediate)\s*\(/, 'timers'],
  [/\bperformance\.now\s*\(/, 'performance.now()'],
  [/from ['"]node:(fs|net|http|https|child_process|dgram)['"]/, 'I/O modules'],
];

function sources(dir: string): string[] {
  return walk(join(ROOT, dir));
}

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('the pure core', () => {
  const files = PURE.flatMap((dir) => sources(dir)).filter((f) => !CLOCK_IMPLEMENTATIONS.includes(f));

  it('has sources to check, in every folder of the pure core', () => {
    expect(files.length).toBeGreaterThan(10);
    for (const dir of PURE) expect(sources(dir).length, dir).toBeGreaterThan(0);
    for (const clock of CLOCK_IMPLEMENTATIONS) expect(existsSync(clock), clock).toBe(true);
  });

  it.each(FORBIDDEN)('never uses %s', (pattern, what) => {
    const offenders = files.filter((f) => pattern.test(readFileSync(f, 'utf8')));
    expect(offenders, `${what} found in the pure core`).toEqual([]);
  });
});

/** design.md, Parts: arrows point one way, and the agent and the service meet only on the wire. */
describe('the architecture', () => {
  const importsOf = (file: string) =>
    [...readFileSync(file, 'utf8').matchAll(/from '([^']+)'/g)].map((m) => m[1]!);
  const FORBIDDEN_IMPORTS: readonly [string, RegExp, string][] = [
    [
      'sim',
      /^\.\.?\/.*\b(agent|broker|cli|emulator|transport|scenarios)\//,
      'sim/ imports nothing of the other parts',
    ],
    ['agent', /\bbroker\//, 'the agent never imports the service'],
    ['broker', /\bagent\//, 'the service never imports the agent'],
    ['transport', /\b(agent|broker)\//, 'the transport belongs to neither side'],
  ];
  it.each(FORBIDDEN_IMPORTS)('%s: %s', (dir, pattern, rule) => {
    expect(sources(dir).length, `sources under ${dir}`).toBeGreaterThan(0);
    const offenders = sources(dir).flatMap((f) =>
      importsOf(f)
        .filter((i) => pattern.test(i))
        .map((i) => `${f} → ${i}`),
    );
    expect(offenders, rule).toEqual([]);
  });
});
