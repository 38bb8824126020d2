import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';

/**
 * The seed an agents database's devices are made from, kept in the database itself. The first
 * run without --seed draws a random one, so two processes of one fleet never make the same
 * serial numbers; later runs on the same database make the same devices (the fleet file names
 * the whole fleet, and devices a crash kept from being stored are made again alike).
 */
export function fleetSeedOf(dbPath: string, given: string | undefined): { seed: string; source: string } {
  const db = new Database(dbPath);
  try {
    db.exec('CREATE TABLE IF NOT EXISTS fleetsim_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
    const stored = db.prepare("SELECT value FROM fleetsim_meta WHERE key = 'seed'").get() as
      | { value: string }
      | undefined;
    if (given !== undefined) {
      if (!stored) db.prepare("INSERT INTO fleetsim_meta (key, value) VALUES ('seed', ?)").run(given);
      return { seed: given, source: '--seed' };
    }
    if (stored) return { seed: stored.value, source: 'kept in the database' };
    const seed = `agents-${randomBytes(6).toString('hex')}`;
    db.prepare("INSERT INTO fleetsim_meta (key, value) VALUES ('seed', ?)").run(seed);
    return { seed, source: 'new, random' };
  } finally {
    db.close();
  }
}
