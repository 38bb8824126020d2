import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

// semver ships no types of its own; these are the two calls used.
const semver = createRequire(import.meta.url)('semver') as {
  minVersion(range: string): { version: string } | null;
  satisfies(version: string, range: string): boolean;
};

/**
 * The README promises Node.js 20.19 or later: every package `npm ci` installs must admit the
 * lowest version promised, or `npm ci` warns EBADENGINE (cookie 2 wanted Node 22).
 */
describe('dependencies and the Node versions the README promises', () => {
  it('every package in the lock file admits the lowest Node version package.json names', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { engines: { node: string } };
    const lowest = semver.minVersion(pkg.engines.node)!.version;
    expect(readFileSync('README.md', 'utf8')).toContain(`Node.js ${lowest.replace(/\.0$/, '')} or later`);
    const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as {
      packages: Record<string, { version?: string; engines?: { node?: string } }>;
    };
    const refusing = Object.entries(lock.packages)
      .filter(([path, p]) => path && p.engines?.node && !semver.satisfies(lowest, p.engines.node))
      .map(([path, p]) => `${path}@${p.version} wants node ${p.engines!.node}`);
    expect(refusing, `on Node ${lowest}`).toEqual([]);
  });
});
