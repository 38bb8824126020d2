import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runBulkAction } from '../../broker/http/graph/bulk-action.ts';
import { FleetBroker } from '../../broker/mqtt/broker.ts';
import { parseTopic } from '../../sim/wire/topics.ts';
import { ADMIN } from '../helpers/admin.ts';
import { startVirtualFleet, type VirtualFleet } from '../helpers/virtual-fleet.ts';

/**
 * A bulk action on a service with SQLite on disk: a slice's actions are committed together, and
 * each push leaves only once the action it announces is committed (another connection reads it).
 */
describe('a bulk action with the service on SQLite', () => {
  let fleet: VirtualFleet | null = null;
  let dir = '';
  afterEach(async () => {
    vi.restoreAllMocks();
    await fleet?.close();
    fleet = null;
    rmSync(dir, { recursive: true, force: true });
  });

  it('pushes each device only after its action is committed, and every device gets its push', async () => {
    dir = mkdtempSync(join(tmpdir(), 'fleetsim-bulk-commit-'));
    const db = join(dir, 'service.db');
    fleet = await startVirtualFleet({
      seed: 'bulk-commit',
      cohorts: [{ platform: 'windows10', count: 40 }],
      serviceDb: db,
    });
    const { service } = fleet.server;
    const reader = new Database(db, { readonly: true });
    const committedActionsOf = (deviceId: string) =>
      (reader.prepare('SELECT count(*) AS n FROM actions WHERE device_id = ?').get(deviceId) as { n: number })
        .n;
    const channelOwner = (topic: string) => {
      const parsed = parseTopic(topic);
      return parsed?.kind === 'deviceDown' ? service.channels.get(parsed.deviceId)?.deviceId : undefined;
    };
    const pushes: { deviceId: string | undefined; committed: number }[] = [];
    const publish = FleetBroker.prototype.publishAsService;
    vi.spyOn(FleetBroker.prototype, 'publishAsService').mockImplementation(function (
      this: FleetBroker,
      topic,
      payload,
      retain,
      done,
    ) {
      if (payload.toString().includes('"notify"')) {
        const deviceId = channelOwner(topic);
        pushes.push({ deviceId, committed: deviceId ? committedActionsOf(deviceId) : -1 });
      }
      publish.call(this, topic, payload, retain, done);
    });
    const ids = service.listDevices().map((d) => d.id);
    const result = await runBulkAction(service, ids, { action: 'sync' }, ADMIN);
    reader.close();
    expect(result.successfulDeviceIds.sort()).toEqual([...ids].sort());
    expect(pushes.map((p) => p.deviceId).sort()).toEqual([...ids].sort());
    expect(pushes.filter((p) => p.committed !== 1)).toEqual([]);
  });
});
