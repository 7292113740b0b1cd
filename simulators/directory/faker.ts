import type { Faker } from '@faker-js/faker';
import { faker as english } from '@faker-js/faker/locale/en';

export type { Faker };

// '@faker-js/faker' itself loads every locale, a tenth of a second in each process (every test file, every CLI run);
// the English entry loads one, and its instance carries the class and the merged English definitions.
const FakerClass = english.constructor as typeof Faker;

/** A faker of its own, English (en with base), seeded: the same seed gives the same people again. */
export function englishFaker(seed: number): Faker {
  const faker = new FakerClass({ locale: english.rawDefinitions });
  faker.seed(seed);
  return faker;
}
