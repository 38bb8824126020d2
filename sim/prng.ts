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

/**
 * sfc32 (fast, 128-bit state, passes PractRand; plenty for simulation) as a class: its state in
 * four fields and its methods on the prototype. A fleet holds several generators per device; an
 * object of closures cost ~600 bytes each, this ~60.
 */
class Sfc32 implements Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(readonly seed: string) {
    [this.a, this.b, this.c, this.d] = hash128(seed);
    // Discard the first draws: sfc32 mixes poorly for a few rounds after seeding.
    for (let i = 0; i < 12; i++) this.next();
  }

  next(): number {
    const a = this.a | 0;
    const b = this.b | 0;
    let c = this.c | 0;
    const d = this.d | 0;
    const t = (((a + b) | 0) + d) | 0;
    this.d = (d + 1) | 0;
    this.a = b ^ (b >>> 9);
    this.b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    this.c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  int(min: number, max: number): number {
    if (!Number.isInteger(min) || !Number.isInteger(max) || max < min) {
      throw new RangeError(`rng.int: need integers min <= max, got ${min}..${max}`);
    }
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('rng.pick: empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  child(label: string | number): Rng {
    return new Sfc32(`${this.seed}/${label}`);
  }
}

export function createRng(seed: string | number): Rng {
  return new Sfc32(String(seed));
}
