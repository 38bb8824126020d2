import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { generateFleet } from '../../agent/fleet/generator.ts';
import { AgentStore, type SavedAgent, upgradeSaved } from '../../agent/runtime/agent-store.ts';

/**
 * Group commit on disk (agents on a scaled clock): the saves of one event-loop turn are one
 * SQLite transaction, and what waited for them runs only once they are committed.
 */
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function twoAgents(): SavedAgent[] {
  return generateFleet({ cohorts: [{ platform: 'ios', count: 2 }], seed: 'group-commit', epochMs: 0 }).map(
    (d) => upgradeSaved({ identity: d.identity, state: d.state, cohort: d.cohort }),
  );
}

function openStore(groupCommit: boolean) {
  const dir = mkdtempSync(join(tmpdir(), 'fleetsim-group-commit-'));
  dirs.push(dir);
  const path = join(dir, 'agents.db');
  return { path, store: new AgentStore(path, { groupCommit }) };
}

/** What another connection (another process, after a crash) finds committed on disk. */
function onDisk(path: string): Map<string, SavedAgent> {
  const db = new Database(path, { readonly: true });
  const rows = db.prepare('SELECT serial, doc FROM agents').all() as { serial: string; doc: string }[];
  db.close();
  return new Map(rows.map((r) => [r.serial, JSON.parse(r.doc) as SavedAgent]));
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('AgentStore group commit', () => {
  it("commits a turn's saves together after the turn, then runs what waited, in order", async () => {
    const { path, store } = openStore(true);
    const [a, b] = twoAgents() as [SavedAgent, SavedAgent];
    const trace: string[] = [];
    store.saveThen(
      a.identity.serialNumber,
      () => a,
      () => trace.push(`a sent, ${onDisk(path).size} on disk`),
    );
    store.saveThen(
      b.identity.serialNumber,
      () => b,
      () => trace.push(`b sent, ${onDisk(path).size} on disk`),
    );
    expect(onDisk(path).size).toBe(0); // nothing committed, nothing sent
    expect(trace).toEqual([]);
    await turn();
    expect(trace).toEqual(['a sent, 2 on disk', 'b sent, 2 on disk']);
    store.close();
  });

  it('reads the document at the commit: a device saved twice in a turn is stored as it is then', async () => {
    const { path, store } = openStore(true);
    const [a] = twoAgents() as [SavedAgent];
    let sent = 0;
    store.saveThen(
      a.identity.serialNumber,
      () => a,
      () => sent++,
    );
    a.enrollments = 7;
    store.saveThen(
      a.identity.serialNumber,
      () => a,
      () => sent++,
    );
    await turn();
    expect(onDisk(path).get(a.identity.serialNumber)?.enrollments).toBe(7);
    expect(sent).toBe(2);
    store.close();
  });

  it('flush() commits at once; close() commits what is queued', () => {
    const { path, store } = openStore(true);
    const [a, b] = twoAgents() as [SavedAgent, SavedAgent];
    let sent = 0;
    store.saveThen(
      a.identity.serialNumber,
      () => a,
      () => sent++,
    );
    store.flush();
    expect([onDisk(path).size, sent]).toEqual([1, 1]);
    store.saveThen(
      b.identity.serialNumber,
      () => b,
      () => sent++,
    );
    store.close();
    expect([onDisk(path).size, sent]).toEqual([2, 2]);
  });

  it('without group commit, saves and runs `then` at once', () => {
    const { path, store } = openStore(false);
    const [a] = twoAgents() as [SavedAgent];
    let seen = -1;
    store.saveThen(
      a.identity.serialNumber,
      () => a,
      () => {
        seen = onDisk(path).size;
      },
    );
    expect(seen).toBe(1);
    store.close();
  });
});

describe('AgentStore: the state apart from the rest', () => {
  it('writes a state again only when it is another object (the model never changes one in place)', () => {
    const { path, store } = openStore(false);
    const [a] = twoAgents() as [SavedAgent];
    // Count the rows SQLite writes into agent_states, from another connection (triggers are schema).
    const watcher = new Database(path);
    watcher.exec(`CREATE TABLE state_writes (n INTEGER);
      CREATE TRIGGER count_insert AFTER INSERT ON agent_states BEGIN INSERT INTO state_writes VALUES (1); END;
      CREATE TRIGGER count_update AFTER UPDATE ON agent_states BEGIN INSERT INTO state_writes VALUES (1); END;`);
    const writes = () => (watcher.prepare('SELECT count(*) AS n FROM state_writes').get() as { n: number }).n;
    store.save(a);
    a.inbox = ['cmd-1'];
    store.save(a); // the inbox changed, the state did not
    expect(writes()).toBe(1);
    a.state = { ...a.state, power: 'off' };
    store.save(a);
    expect(writes()).toBe(2);
    store.close();
    watcher.close();
    const again = new AgentStore(path);
    const [loaded] = again.loadAll();
    expect(loaded?.inbox).toEqual(['cmd-1']);
    expect(loaded?.state.power).toBe('off');
    again.close();
  });

  it('reads a store from before the split, where the state is inside the agent document', () => {
    const { path, store } = openStore(false);
    store.close();
    const [a] = twoAgents() as [SavedAgent];
    const old = new Database(path);
    old
      .prepare('INSERT INTO agents (serial, doc) VALUES (?, ?)')
      .run(a.identity.serialNumber, JSON.stringify(a));
    old.close();
    const again = new AgentStore(path);
    expect(again.loadAll()).toEqual([a]);
    again.close();
  });
});
