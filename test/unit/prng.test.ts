import { describe, expect, it } from 'vitest';
import { createRng } from '../../sim/prng.ts';

describe('the seeded PRNG', () => {
  it('repeats for the same seed and differs for another', () => {
    const a = createRng('s');
    const b = createRng('s');
    const c = createRng('t');
    const draws = (r: ReturnType<typeof createRng>) => Array.from({ length: 20 }, () => r.next());
    const da = draws(a);
    expect(da).toEqual(draws(b));
    expect(da).not.toEqual(draws(c));
    expect(da.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('derives children from the seed, not from draws, so they do not depend on what the parent drew', () => {
    const fresh = createRng('p').child('device:1').next();
    const used = createRng('p');
    for (let i = 0; i < 100; i++) used.next();
    expect(used.child('device:1').next()).toBe(fresh);
    expect(createRng('p').child('device:2').next()).not.toBe(fresh);
  });

  it('draws the same numbers from a seed in every version, so a printed seed replays an old failure', () => {
    expect(createRng('s').next()).toBe(0.9030541207175702);
    expect(createRng('s').child('device:1').int(0, 1_000_000)).toBe(798478);
  });

  it('int covers its bounds and nothing outside them', () => {
    const r = createRng(1);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) seen.add(r.int(3, 7));
    expect([...seen].sort()).toEqual([3, 4, 5, 6, 7]);
    expect(() => r.int(5, 4)).toThrow(RangeError);
    expect(() => r.pick([])).toThrow(RangeError);
  });
});
