import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';

/**
 * One writer per database: `serve` and `agents` take this lock on their SQLite files before
 * opening them, so a second process on the same file refuses to start instead of running with its
 * own idea of the state.
 *
 * The lock is an exclusive SQLite lock on `<db>.lock`, held for the life of the process. The
 * operating system drops it when the process dies, even by SIGKILL, so there is never a stale lock
 * to clear (a pid file alone would need a liveness guess that pid reuse can fool). Who holds it is
 * written next to it in `<db>.lock.pid`, so the refusal can name the process.
 */
export interface DatabaseLock {
  readonly dbPath: string;
  release(): void;
}

export class DatabaseLockedError extends Error {
  constructor(
    readonly dbPath: string,
    readonly holder: { pid: number; command: string } | null,
  ) {
    super(
      `${dbPath} is in use by ${holder ? `${holder.command} (pid ${holder.pid})` : 'another process'}: ` +
        'one process writes a database at a time. Stop that process, or give this one another --db.',
    );
    this.name = 'DatabaseLockedError';
  }
}

/** Takes the lock on `dbPath` for this process (':memory:' needs none); throws DatabaseLockedError. */
export function lockDatabase(dbPath: string, command: string): DatabaseLock {
  if (dbPath === ':memory:') return { dbPath, release: () => {} };
  const pidPath = `${dbPath}.lock.pid`;
  // timeout 0: a held lock answers SQLITE_BUSY at once instead of waiting for it.
  const lock = new Database(`${dbPath}.lock`, { timeout: 0 });
  try {
    lock.pragma('locking_mode = EXCLUSIVE');
    // BEGIN EXCLUSIVE takes the exclusive lock now, and a real write makes sure the file is
    // changed under it; in EXCLUSIVE mode the lock then stays until the connection closes.
    lock.exec('BEGIN EXCLUSIVE');
    lock.exec('CREATE TABLE IF NOT EXISTS holder (id INTEGER PRIMARY KEY, pid INTEGER NOT NULL)');
    lock.prepare('INSERT OR REPLACE INTO holder (id, pid) VALUES (1, ?)').run(process.pid);
    lock.exec('COMMIT');
  } catch (e) {
    lock.close();
    if ((e as { code?: string }).code === 'SQLITE_BUSY')
      throw new DatabaseLockedError(dbPath, holderOf(pidPath));
    throw e;
  }
  writeFileSync(pidPath, `${JSON.stringify({ pid: process.pid, command })}\n`);
  let held = true;
  return {
    dbPath,
    release() {
      if (!held) return;
      held = false;
      rmSync(pidPath, { force: true });
      lock.close(); // the lock file itself stays: removing it could split the lock between two inodes
    },
  };
}

function holderOf(pidPath: string): { pid: number; command: string } | null {
  try {
    const parsed = JSON.parse(readFileSync(pidPath, 'utf8')) as { pid?: unknown; command?: unknown };
    return typeof parsed.pid === 'number' ? { pid: parsed.pid, command: String(parsed.command) } : null;
  } catch {
    return null;
  }
}
