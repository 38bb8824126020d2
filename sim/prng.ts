/**
 * Seeded pseudo-random numbers. Every random choice in fleetsim draws from an Rng derived from
 * one seed, so a failure replays from the seed it prints. Children are derived from the parent's
 * seed and a label, never from draws, so adding a device or a subsystem does not reshuffle the
 * others (TigerBeetle's VOPR habit).
 */
export interface Rng {
  /** The seed this generator was made from; `child` derives from it. */
  readonly seed: string;
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** An independent generator for a named part (a device, a cohort, a subsystem). */
  child(label: string | number): Rng;
}

/** cyrb128: a small, well-mixed string hash giving four 32-bit words to seed sfc32. */
function hash128(text: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

/** sfc32: fast, 128-bit state, passes PractRand; plenty for simulation. */
function sfc32(seedWords: [number, number, number, number]): () => number {
  let [a, b, c, d] = seedWords;
  return () => {
    a |= 0;
    b |= 0;
    c |= 0;
    d |= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

export function createRng(seed: string | number): Rng {
  const seedText = String(seed);
  const draw = sfc32(hash128(seedText));
  // Discard the first draws: sfc32 mixes poorly for a few rounds after seeding.
  for (let i = 0; i < 12; i++) draw();
  const rng: Rng = {
    seed: seedText,
    next: draw,
    int(min, max) {
      if (!Number.isInteger(min) || !Number.isInteger(max) || max < min) {
        throw new RangeError(`rng.int: need integers min <= max, got ${min}..${max}`);
      }
      return min + Math.floor(draw() * (max - min + 1));
    },
    chance: (p) => draw() < p,
    pick(items) {
      if (items.length === 0) throw new RangeError('rng.pick: empty list');
      return items[Math.floor(draw() * items.length)] as (typeof items)[number];
    },
    child: (label) => createRng(`${seedText}/${label}`),
  };
  return rng;
}
