import Module, { createRequire } from 'node:module';

/**
 * mqtt-packet, inside both mqtt.js and aedes, calls `debug()` dozens of times for every packet it
 * reads or writes, and debug 4 gathers each call's arguments into an array before it looks whether
 * logging is on: 8.8% of every byte a month-long virtual-clock run allocated, and about 7 s of
 * its 67 (npm run bench -- month, 10,000 devices). Without DEBUG nothing logs anyway, so the
 * process gets a `debug` whose loggers are plain no-ops; with DEBUG set, the real one, as before.
 * It must run before mqtt and aedes load: from source, the modules that load them import it first;
 * a bundle loads every package it imports before any of its own code, so bin/fleetsim.js and the
 * benchmarks load it on its own ahead of theirs. (Until they did, the built command ran the real
 * one: a month of 10,000 devices on the virtual clock promoted ~12 MB of its argument arrays.)
 */
if (!process.env.DEBUG) {
  const require = createRequire(import.meta.url);
  const path = require.resolve('debug');
  if (require.cache[path] === undefined) {
    const quiet = Object.assign(() => {}, { enabled: false, namespace: '', log: () => {} });
    const logger = Object.assign(quiet, { extend: () => quiet, destroy: () => true });
    const createDebug = Object.assign(() => logger, {
      enable: () => {},
      disable: () => '',
      enabled: () => false,
      names: [],
      skips: [],
      formatters: {},
    });
    const module = new Module(path);
    module.filename = path;
    module.loaded = true;
    module.exports = createDebug;
    require.cache[path] = module;
  }
}
