import { registerDecorator, type ValidationArguments, type ValidationOptions } from 'class-validator';
import { iso31661, iso31662 } from 'iso-3166';
import { isKnownTimeZone } from '#lx/contracts';

const COUNTRIES = new Set(iso31661.map((country) => country.alpha2));
const REGIONS = new Set(iso31662.map((region) => region.code));

export const isKnownCountry = (value: unknown) => typeof value === 'string' && COUNTRIES.has(value);
export const isKnownRegion = (value: unknown) => typeof value === 'string' && REGIONS.has(value);

function custom(
  name: string,
  test: (value: unknown, args: ValidationArguments) => boolean,
  message: (args: ValidationArguments) => string,
  options?: ValidationOptions,
) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name,
      target: object.constructor,
      propertyName,
      options: { message, ...options },
      validator: { validate: test },
    });
}

/** Every element is an ISO 3166-1 alpha-2 country that exists. */
export const IsKnownCountries = (options?: ValidationOptions) =>
  custom(
    'isKnownCountries',
    (value) => Array.isArray(value) && value.every(isKnownCountry),
    (args) =>
      `${args.property} must hold ISO 3166-1 alpha-2 codes; unknown: ${unknownOf(args.value, isKnownCountry)}`,
    options,
  );

/** Every element is an ISO 3166-2 subdivision that exists (e.g. RU-MOW, ES-M). */
export const IsKnownRegions = (options?: ValidationOptions) =>
  custom(
    'isKnownRegions',
    (value) => Array.isArray(value) && value.every(isKnownRegion),
    (args) =>
      `${args.property} must hold ISO 3166-2 codes such as RU-MOW; unknown: ${unknownOf(args.value, isKnownRegion)}`,
    options,
  );

/** An IANA time zone name the runtime's time-zone database knows (Europe/Madrid, UTC …). */
export const IsKnownTimeZone = (options?: ValidationOptions) =>
  custom(
    'isKnownTimeZone',
    (value) => typeof value === 'string' && value.length <= 64 && isKnownTimeZone(value),
    (args) => `${args.property} must be a known IANA time zone, such as Europe/Madrid`,
    options,
  );

/** Not below a sibling property, when both are numbers (min ≤ max, bid ≤ maxBid …). */
export const NotBelow = (sibling: string, options?: ValidationOptions) =>
  custom(
    'notBelow',
    (value, args) => {
      const other = (args.object as Record<string, unknown>)[sibling];
      return typeof value !== 'number' || typeof other !== 'number' || value >= other;
    },
    (args) => `${args.property} must not be below ${sibling}`,
    options,
  );

function unknownOf(value: unknown, known: (item: unknown) => boolean): string {
  return Array.isArray(value)
    ? value
        .filter((item) => !known(item))
        .map(String)
        .join(', ')
    : String(value);
}
