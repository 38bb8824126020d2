import { describe, expect, it } from 'vitest';
import { PolicyShelf } from '../../sim/policy-shelf.ts';

describe('PolicyShelf', () => {
  const policy = () => ({
    id: 'policy-1',
    name: 'Compliance baseline',
    settings: [{ key: 'k', value: 'v' }],
  });

  it('gives every record the same copy of an equal policy, and a different one for a different policy', () => {
    const shelf = new PolicyShelf();
    const a = shelf.share(policy());
    expect(shelf.share(policy())).toBe(a);
    expect(a).toEqual(policy());
    const other = shelf.share({ ...policy(), settings: [{ key: 'k', value: 'w' }] });
    expect(other).not.toBe(a);
    expect(other.settings).toEqual([{ key: 'k', value: 'w' }]);
  });

  it('freezes what it shares and does not keep the caller’s object', () => {
    const shelf = new PolicyShelf();
    const given = policy();
    const kept = shelf.share(given);
    given.settings[0]!.value = 'changed';
    expect(kept.settings[0]!.value).toBe('v');
    expect(Object.isFrozen(kept) && Object.isFrozen(kept.settings) && Object.isFrozen(kept.settings[0])).toBe(
      true,
    );
  });
});
