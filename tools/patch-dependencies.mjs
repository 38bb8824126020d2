#!/usr/bin/env node
/**
 * Small fixes to installed dependencies, run by `npm install` / `npm ci` (package.json's
 * postinstall). Each fix replaces one exact piece of text and says why. A fix that cannot be made
 * (a new version of the package no longer holds that text, or the package is not where it was)
 * is left undone with a warning on stderr, and the install goes on: every fix here is for memory
 * or speed, none for behaviour, so fleetsim stays correct without it.
 *
 * Plain JavaScript, no dependencies: it runs before anything is built. A script, not a module:
 * running it applies the fixes.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const FIXES = [
  {
    pkg: 'mqtt',
    file: 'build/lib/handlers/connack.js',
    from: "delete client['topicAliasSend'];",
    to: "client['topicAliasSend'] = undefined;",
    // topicAliasSend is a class field, so every client has it; deleting it (on each CONNACK) turns
    // the client into a dictionary-mode object in V8: a 1.6 KB property dictionary for each connected
    // device (a client held 4.3 KB in all, 3.0 fixed), and slower property access on every packet. Nothing in mqtt.js asks
    // whether the property exists (no `in`, keys or spread): every read of it gives the same result
    // whether it is undefined or absent.
    why: 'a connected MqttClient keeps fast properties',
  },
];

/** The root folder of an installed package, found from what `require` resolves it to. */
function packageRoot(pkg) {
  const require = createRequire(import.meta.url);
  let dir = dirname(require.resolve(pkg));
  for (;;) {
    try {
      if (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name === pkg) return dir;
    } catch {
      // no package.json here: keep going up
    }
    const up = dirname(dir);
    if (up === dir) throw new Error(`no package.json for ${pkg} above its entry`);
    dir = up;
  }
}

/** Applies one fix; returns what happened, or throws why it could not. */
function apply(fix) {
  const path = join(packageRoot(fix.pkg), fix.file);
  const text = readFileSync(path, 'utf8');
  if (text.includes(fix.to)) return `${fix.pkg}/${fix.file}: already fixed (${fix.why})`;
  if (!text.includes(fix.from))
    throw new Error(`${fix.pkg}/${fix.file} no longer holds the text this fix replaces`);
  writeFileSync(path, text.replace(fix.from, fix.to));
  return `${fix.pkg}/${fix.file}: fixed (${fix.why})`;
}

for (const fix of FIXES) {
  try {
    process.stdout.write(`fleetsim postinstall: ${apply(fix)}\n`);
  } catch (e) {
    process.stderr.write(`fleetsim postinstall: warning: ${e.message}; left undone (${fix.why})\n`);
  }
}
