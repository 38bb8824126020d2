import { describe, expect, it } from 'vitest';
import { checkFact, FactPathError, resolvePath } from '../../scenarios/engine/facts.ts';

const device = {
  state: {
    management: { enrolled: false, policies: [] },
    boot: 'normal',
    workProfile: null,
    certificates: [
      { id: 'a', source: 'intune', installed: true, revoked: true },
      { id: 'b', source: 'intune', installed: true, revoked: true },
      { id: 'c', source: 'user', installed: true, revoked: false },
    ],
    apps: [
      { kind: 'personal', data: [{ location: 'appLocal', status: 'present' }] },
      { kind: 'googlePlayUnmanaged', data: [{ location: 'mamExternal', status: 'encryptedUnusable' }] },
    ],
  },
};

describe('scenario facts', () => {
  it.each([
    ['state.management.enrolled', false, true],
    ['state.management.enrolled', true, false],
    ['state.boot', 'normal', true],
    ['state.workProfile', 'absent', true],
    ['state.workProfile', null, true],
    ['state.certificates[source=intune].revoked', true, true],
    ['state.certificates[source=intune].installed', false, false],
    ['state.certificates[source=user].revoked', false, true],
    ['state.certificates[source=nobody].revoked', true, false], // nothing matches: not vacuously true
    ['state.certificates[source=intune]', { count: 2 }, true],
    ['state.certificates', { min: 3 }, true],
    ['state.apps[kind=personal]', 'present', true],
    ['state.apps[kind=webLink]', 'absent', true],
    ['state.apps[kind=googlePlayUnmanaged].data[location=mamExternal].status', 'encryptedUnusable', true],
    ['state.management.policies', { count: 0 }, true],
    ['state.boot', { not: 'normal' }, false],
    ['state.boot', { not: 'setup' }, true],
    ['state.boot', { oneOf: ['setup', 'normal'] }, true],
    ['state.boot', { oneOf: ['setup', 'unusable'] }, false],
    ['state.certificates[source=intune].revoked', { not: false }, true],
    ['state.certificates[source=nobody].revoked', { not: false }, false], // needs at least one item
    ['state.certificates[source=nobody].revoked', { everyIfAny: true }, true], // holds on an empty list
    ['state.certificates[source=intune].revoked', { everyIfAny: true }, true],
    ['state.certificates[source=user].revoked', { everyIfAny: true }, false],
    ['state.certificates.revoked', { everyIfAny: true }, false], // through a list: every item
    ['state.certificates.source', { oneOf: ['intune', 'user'] }, true],
    ['state.certificates.revoked', true, false], // every item, not some
    ['state.certificates', { max: 3 }, true],
    ['state.certificates', { max: 2 }, false],
    ['state.certificates', { min: 4 }, false],
    ['state.boot', { count: 1 }, false], // not a list
    ['state.workProfile.apps', 'absent', true], // through null: nothing
    ['state.workProfile', 'present', false],
    ['state.boot', 'present', true],
    ['state.missing', 'absent', true],
    ['state.missing', 'present', false],
  ] as const)('%s = %j → %s', (path, expected, ok) => {
    expect(checkFact(device, path, expected as never).ok).toBe(ok);
  });
  it('refuses a malformed path', () => {
    expect(() => checkFact(device, 'state.apps[kind]', true)).toThrow(FactPathError);
    expect(() => checkFact(device, 'state.boot[x=y]', true)).toThrow(/not a list/);
  });

  it('says what it found', () => {
    expect(checkFact(device, 'state.certificates.revoked', true)).toEqual({
      ok: false,
      found: [true, false],
    });
    expect(checkFact(device, 'state.certificates[source=nobody].revoked', true)).toEqual({
      ok: false,
      found: 'no matching items',
    });
    expect(checkFact(device, 'state.certificates[source=nobody].revoked', { everyIfAny: true })).toEqual({
      ok: true,
      found: 'no matching items',
    });
    expect(checkFact(device, 'state.certificates[source=user].revoked', { everyIfAny: true })).toEqual({
      ok: false,
      found: [false],
    });
    expect(checkFact(device, 'state.certificates', 'absent')).toEqual({ ok: false, found: { count: 3 } });
    expect(checkFact(device, 'state.boot', 'absent')).toEqual({ ok: false, found: 'normal' });
    expect(checkFact(device, 'state.boot', { count: 1 })).toEqual({ ok: false, found: 'normal' });
    expect(checkFact(device, 'state.certificates', { count: 2 })).toEqual({ ok: false, found: { count: 3 } });
  });

  it('selects only object items, and goes through a list only when the path goes on', () => {
    const odd = { state: { tags: ['a', null, { kind: 'x', n: 1 }], boot: 'normal' } };
    expect(checkFact(odd, 'state.tags[kind=x].n', 1)).toEqual({ ok: true, found: [1] });
    expect(checkFact(odd, 'state.tags', { count: 3 })).toEqual({ ok: true, found: { count: 3 } });
  });

  it('resolves a list at the end of a path as the list itself, and only goes into its items on the way through', () => {
    const root = { state: { apps: [{ name: 'a' }, { name: 'b' }] } };
    expect(resolvePath(root, 'state.apps')).toEqual({
      values: [[{ name: 'a' }, { name: 'b' }]],
      plural: false,
    });
    expect(resolvePath(root, 'state.apps.name')).toEqual({ values: ['a', 'b'], plural: true });
  });

  it('a text value or a text item has no fields to read or select by', () => {
    expect(resolvePath({ state: { boot: 'normal' } }, 'state.boot.length')).toEqual({
      values: [],
      plural: false,
    });
    expect(resolvePath({ tags: ['ab', 'abc'] }, 'tags[length=3]')).toEqual({ values: [], plural: true });
  });

  it('a bad path is a FactPathError by name, so it reads as one when printed', () => {
    let thrown: unknown;
    try {
      resolvePath({}, 'state.apps[kind');
    } catch (e) {
      thrown = e;
    }
    expect(String(thrown)).toBe(
      "FactPathError: 'apps[kind' in 'state.apps[kind' is not a field name or field[key=value]",
    );
  });
});
