import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteServiceStore } from '../../broker/store/sqlite-store.ts';

/**
 * The service's group commit on disk (a scaled clock): device messages handled in one event-loop
 * turn share a transaction; what the service sends because of them waits for its commit; anything
 * else that writes while it is open (an HTTP request, a sweep) commits it before going on.
 */
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function open() {
  const dir = mkdtempSync(join(tmpdir(), 'fleetsim-service-batch-'));
  dirs.push(dir);
  const path = join(dir, 'service.db');
  const store = new SqliteServiceStore(path);
  /** What another connection (another process, or this one after a crash) finds committed. */
  const committed = () => {
    const db = new Database(path, { readonly: true });
    const rows = db.prepare("SELECT key FROM settings WHERE key LIKE 'k%' ORDER BY key").all() as {
      key: string;
    }[];
    db.close();
    return rows.map((r) => r.key);
  };
  return { store, committed };
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('SqliteServiceStore group commit', () => {
  it("commits a turn's handlings together, then sends what waited for them, in order", async () => {
    const { store, committed } = open();
    const sent: string[] = [];
    store.batch(() => store.transaction(() => store.saveSetting('k1', 1)));
    store.afterCommit(() => sent.push(`ack 1 (${committed().join(' ')})`));
    store.batch(() => store.saveSetting('k2', 2));
    store.afterCommit(() => sent.push(`ack 2 (${committed().join(' ')})`));
    expect([committed(), sent]).toEqual([[], []]);
    await turn();
    expect(sent).toEqual(['ack 1 (k1 k2)', 'ack 2 (k1 k2)']);
    store.close();
  });

  it('a transaction outside the batch while it is open commits both before its caller goes on', () => {
    const { store, committed } = open();
    const sent: string[] = [];
    store.batch(() => store.saveSetting('k1', 1));
    store.afterCommit(() => sent.push('ack'));
    store.transaction(() => store.saveSetting('k2', 2)); // an HTTP request's write
    expect([committed(), sent]).toEqual([['k1', 'k2'], ['ack']]);
    store.close();
  });

  it('so does a single write outside any transaction', () => {
    const { store, committed } = open();
    store.batch(() => store.saveSetting('k1', 1));
    store.saveSetting('k2', 2);
    expect(committed()).toEqual(['k1', 'k2']);
    store.close();
  });

  it('a handling that throws takes back its own writes only', async () => {
    const { store, committed } = open();
    store.batch(() => store.saveSetting('k1', 1));
    expect(() =>
      store.batch(() => {
        store.saveSetting('k2', 2);
        throw new Error('handler');
      }),
    ).toThrow('handler');
    await turn();
    expect(committed()).toEqual(['k1']);
    store.close();
  });

  it('close() commits the open batch and sends what waited', () => {
    const { store, committed } = open();
    let sent = false;
    store.batch(() => store.saveSetting('k1', 1));
    store.afterCommit(() => {
      sent = true;
    });
    store.close();
    expect([committed(), sent]).toEqual([['k1'], true]);
  });

  it('without an open batch, afterCommit runs at once and transactions commit as before', () => {
    const { store, committed } = open();
    let sent = false;
    store.afterCommit(() => {
      sent = true;
    });
    store.transaction(() => store.saveSetting('k1', 1));
    expect([committed(), sent]).toEqual([['k1'], true]);
    store.close();
  });

  describe('group: many transactions under one commit (a slice of a bulk action)', () => {
    it('commits nothing before its end, then everything, then sends what waited, in order', () => {
      const { store, committed } = open();
      const seen: string[] = [];
      const result = store.group(() => {
        store.transaction(() => store.saveSetting('k1', 1));
        store.afterCommit(() => seen.push(`send 1 (${committed().join(' ')})`));
        store.saveSetting('k2', 2); // a single write does not end the group's transaction
        store.transaction(() => store.saveSetting('k3', 3));
        store.afterCommit(() => seen.push(`send 2 (${committed().join(' ')})`));
        seen.push(`inside (${committed().join(' ')})`);
        return 'r';
      });
      expect([result, seen]).toEqual(['r', ['inside ()', 'send 1 (k1 k2 k3)', 'send 2 (k1 k2 k3)']]);
      store.close();
    });

    it('a transaction that throws inside takes back its own writes; the rest commit', () => {
      const { store, committed } = open();
      store.group(() => {
        store.transaction(() => store.saveSetting('k1', 1));
        expect(() =>
          store.transaction(() => {
            store.saveSetting('k2', 2);
            throw new Error('request');
          }),
        ).toThrow('request');
        store.transaction(() => store.saveSetting('k3', 3));
      });
      expect(committed()).toEqual(['k1', 'k3']);
      store.close();
    });

    it('when it throws, what landed before is committed (it is in memory already) and sent', () => {
      const { store, committed } = open();
      let sent = false;
      expect(() =>
        store.group(() => {
          store.transaction(() => store.saveSetting('k1', 1));
          store.afterCommit(() => {
            sent = true;
          });
          throw new Error('slice');
        }),
      ).toThrow('slice');
      expect([committed(), sent]).toEqual([['k1'], true]);
      store.close();
    });

    it('joins a batch already open and commits it with its own writes', () => {
      const { store, committed } = open();
      store.batch(() => store.saveSetting('k1', 1));
      store.group(() => store.transaction(() => store.saveSetting('k2', 2)));
      expect(committed()).toEqual(['k1', 'k2']);
      store.close();
    });

    it('inside a transaction it is part of that transaction', () => {
      const { store, committed } = open();
      store.transaction(() => {
        store.group(() => store.transaction(() => store.saveSetting('k1', 1)));
        expect(committed()).toEqual([]);
      });
      expect(committed()).toEqual(['k1']);
      store.close();
    });
  });
});
