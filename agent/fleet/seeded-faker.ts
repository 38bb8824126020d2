import { base, en, Faker } from '@faker-js/faker';
import type { Rng } from '../../sim/prng.ts';

/**
 * One Faker whose randomness comes from our PRNG (faker's `randomizer` option), so identities are
 * reproducible from the fleet seed. `use(rng)` points it at a device's own child generator.
 */
export class SeededFaker {
  private current: Rng | null = null;
  readonly faker: Faker;

  constructor(refDateMs: number) {
    this.faker = new Faker({
      locale: [en, base],
      randomizer: {
        next: () => {
          if (!this.current) throw new Error('SeededFaker: use(rng) before drawing');
          return this.current.next();
        },
        // Seeding goes through our Rng's children, never through faker.
        seed: () => {},
      },
    });
    // Pin faker's "now" to the sim clock so date helpers do not read the wall clock.
    this.faker.setDefaultRefDate(new Date(refDateMs));
  }

  use(rng: Rng): Faker {
    this.current = rng;
    return this.faker;
  }
}
