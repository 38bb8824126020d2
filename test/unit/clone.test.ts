import { describe, expect, it } from 'vitest';
import { cloneData } from '../../sim/clone.ts';

describe('cloneData', () => {
  it('copies nested objects and arrays, so changing the copy leaves the original alone', () => {
    const original = { a: 1, list: [{ id: 'x', tags: ['t'] }], nested: { flag: true, none: null } };
    const copy = cloneData(original);
    expect(copy).toEqual(original);
    copy.list[0]!.tags.push('u');
    copy.nested.flag = false;
    copy.list.push({ id: 'y', tags: [] });
    expect(original).toEqual({ a: 1, list: [{ id: 'x', tags: ['t'] }], nested: { flag: true, none: null } });
    expect(copy.list[0]).not.toBe(original.list[0]);
  });

  it('passes frozen parts on as they are (they cannot change) and copies the rest', () => {
    const policy = Object.freeze({ id: 'policy-1', settings: Object.freeze([Object.freeze({ key: 'k' })]) });
    const original = { policies: [policy], open: { id: 'x' } };
    const copy = cloneData(original);
    expect(copy.policies[0]).toBe(policy);
    expect(copy.policies).not.toBe(original.policies);
    expect(copy.open).not.toBe(original.open);
    expect(copy).toEqual(original);
  });

  it('keeps keys whose value is undefined, as structuredClone does', () => {
    const copy = cloneData({ a: undefined, b: [undefined] });
    expect(Object.keys(copy)).toEqual(['a', 'b']);
    expect(copy.b).toEqual([undefined]);
  });

  it('refuses what is not plain data, naming it', () => {
    expect(() => cloneData({ when: new Date(0) })).toThrow('cloneData copies plain data only, got a Date');
    expect(() => cloneData([new Map()])).toThrow('got a Map');
  });
});
