import { describe, expect, it } from 'vitest';
import { DuplicateKeyError } from '../../broker/service/types.ts';
import { MemoryServiceStore, type ServerStore } from '../../broker/store/memory-store.ts';
import { SqliteServiceStore } from '../../broker/store/sqlite-store.ts';

const record = { id: 'd-1', deviceName: 'PC-1' } as never;
const stores: [string, () => ServerStore][] = [
  ['MemoryServiceStore', () => new MemoryServiceStore()],
  ['SqliteServiceStore on :memory:', () => new SqliteServiceStore(':memory:')],
];

describe.each(stores)('%s: what the service relies on from any store', (_name, make) => {
  it('refuses a second record with an id already used, in every table, instead of overwriting it', () => {
    const store = make();
    store.createDevice(record);
    store.createChannel({ id: 'c-1' } as never);
    store.createAction({ id: 'a-1', deviceId: 'd-1' } as never);
    expect(() => store.createDevice({ id: 'd-1', deviceName: 'other' } as never)).toThrow(DuplicateKeyError);
    expect(() => store.createChannel({ id: 'c-1' } as never)).toThrow(
      /refusing to overwrite channels record c-1/,
    );
    expect(() => store.createAction({ id: 'a-1', deviceId: 'd-2' } as never)).toThrow(DuplicateKeyError);
    store.close();
  });

  it('gives back a setting as a copy of what was saved, the latest value winning', () => {
    const store = make();
    const value = { speed: 600, list: ['APNs'] };
    store.saveSetting('s', value);
    value.list.push('WNS');
    store.saveSetting('n', 1);
    store.saveSetting('n', 2);
    expect(store.getSetting('s')).toEqual({ speed: 600, list: ['APNs'] });
    expect(store.getSetting('n')).toBe(2);
    expect(store.getSetting('missing')).toBeUndefined();
    expect(store.loadAll().settings).toEqual({ s: { speed: 600, list: ['APNs'] }, n: 2 });
    store.close();
  });

  it('runs a transaction and returns its value', () => {
    const store = make();
    expect(store.transaction(() => 42)).toBe(42);
    store.close();
  });
});

describe('SqliteServiceStore: records stored by an older fleetsim', () => {
  it('a device record without reappearedFrom loads with null (it did not reappear); one with it keeps it', () => {
    const store = new SqliteServiceStore(':memory:');
    store.createDevice({ id: 'd-old', deviceName: 'PC-1' } as never);
    store.createDevice({ id: 'd-new', reappearedFrom: 'd-old' } as never);
    expect(store.loadAll().devices.map((d) => [d.id, d.reappearedFrom])).toEqual([
      ['d-old', null],
      ['d-new', 'd-old'],
    ]);
    store.close();
  });
});
