import type { Faker } from '@faker-js/faker';
// English only: the package's main entry loads every locale it has (~16 MB of heap in every
// process that makes devices, against 2 MB for English).
import { faker as english } from '@faker-js/faker/locale/en';
import type { Rng } from '../../sim/prng.ts';

/** The Faker class, from the English instance (the locale entry exports no class of its own). */
const FakerClass = english.constructor as typeof Faker;

/**
 * One Faker whose randomness comes from our PRNG (faker's `randomizer` option), so identities are
 * reproducible from the fleet seed. `use(rng)` points it at a device's own child generator.
 */
export class SeededFaker {
  private current: Rng | null = null;
  readonly faker: Faker;

  constructor(refDateMs: number) {
    this.faker = new FakerClass({
      locale: english.rawDefinitions, // English over faker's base data, as [en, base] gave
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
