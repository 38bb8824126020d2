import { linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';

/**
 * One process per database file: a lock file next to it holding the owner's pid, hard-linked into
 * place from a file already written (atomic: two processes starting together cannot both win, and
 * nobody reads a half-written lock), and removed on exit. A lock
 * whose process is gone (killed with SIGKILL) is taken over.
 */
export type LockResult = { ok: true; release(): void } | { ok: false; heldBy: number };

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function lockDatabase(dbPath: string): LockResult {
  const lockPath = `${dbPath}.lock`;
  const written = `${lockPath}.${process.pid}`;
  writeFileSync(written, String(process.pid));
  try {
    return takeLock(lockPath, written);
  } finally {
    unlinkSync(written);
  }
}

function takeLock(lockPath: string, written: string): LockResult {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      linkSync(written, lockPath);
      const release = () => {
        process.off('exit', release);
        try {
          if (readFileSync(lockPath, 'utf8') === String(process.pid)) unlinkSync(lockPath);
        } catch {
          // Already gone: nothing to release.
        }
      };
      process.on('exit', release);
      return { ok: true, release };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number(readFileSync(lockPath, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid))
        return { ok: false, heldBy: pid };
      // Left by a process that is gone: take it over (unless another process just did).
      try {
        if (readFileSync(lockPath, 'utf8').trim() === String(pid)) unlinkSync(lockPath);
      } catch {
        // Another process took it over first; the next attempt sees its pid.
      }
    }
  }
  return { ok: false, heldBy: Number(readFileSync(lockPath, 'utf8').trim()) };
}
