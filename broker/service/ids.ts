import { flat } from '../../sim/flat-string.ts';
import type { Rng } from '../../sim/prng.ts';

/** A version-4-shaped GUID from the seeded generator: Graph ids look like this. */
export function guid(rng: Rng): string {
  const hex = Array.from({ length: 32 }, () => rng.int(0, 15).toString(16));
  hex[12] = '4';
  hex[16] = ((rng.int(0, 3) & 0x3) | 0x8).toString(16);
  const s = hex.join('');
  return flat(`${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`);
}

/** Where the id sequence is kept between runs. */
export const ID_SEQUENCE_SETTING = 'idSequence';

/**
 * Every id the service hands out (managedDevice, action, bulk request, channel, Azure AD device):
 * the n-th id is drawn from its own child generator of the seed, and n is persisted before the id
 * can be committed anywhere. A restarted service (clean or killed) goes on from the stored n, so
 * no id is ever handed out twice, while the same seed on a fresh store still gives the same ids.
 */
export class IdSource {
  constructor(
    private readonly rng: Rng,
    private n: number,
    private readonly persist: (next: number) => void,
  ) {}

  next(): string {
    const id = guid(this.rng.child(this.n));
    this.n++;
    this.persist(this.n);
    return id;
  }

  /** How many ids were handed out, ever. */
  get issued(): number {
    return this.n;
  }
}
