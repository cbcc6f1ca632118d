import { z } from 'zod';

/*
 * The value types every event schema is built from, so that money, time and identifiers mean
 * the same thing in every stream.
 */

/** Ids fit the id part of a stream name (`<category>-<id>`), so any id can name a stream. */
export const ENTITY_ID_PATTERN = /^[A-Za-z0-9_.:-]{1,160}$/;
export const EntityId = z.string().regex(ENTITY_ID_PATTERN, 'expected an id of letters, digits and _.:-');

/** A market, e.g. `auto_insurance`; it is the id of the `market-<vertical>` stream. */
export const VERTICAL_PATTERN = /^[a-z][a-z0-9_]{0,39}$/;
export const Vertical = z.string().regex(VERTICAL_PATTERN, 'expected a lower-case vertical slug');

/** A machine-readable code (reason codes, channels, interests): lower snake case. */
export const SLUG_PATTERN = /^[a-z][a-z0-9_]{0,63}$/;
export const Slug = z.string().regex(SLUG_PATTERN, 'expected a lower_snake_case code');

/** ISO 4217 alphabetic code. */
export const CurrencyCode = z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 currency code');

/** Money is an integer count of the currency's minor units; never a float. */
export const MinorUnits = z.int().nonnegative();
export const PositiveMinorUnits = z.int().positive();

export const Money = z.strictObject({ amount: MinorUnits, currency: CurrencyCode });

/** Commission and similar rates: 1 bp = 0.01 %. */
export const BasisPoints = z.int().min(0).max(10_000);

export const Percent = z.int().min(0).max(100);

/** A UTC instant in ISO 8601 (`…Z`), as produced by `Date.prototype.toISOString`. */
export const Instant = z.iso.datetime();

export const CountryCode = z.string().regex(/^[A-Z]{2}$/, 'expected an ISO 3166-1 alpha-2 country code');

/** ISO 3166-2 subdivision, e.g. `RU-MOW`, `ES-M`, `US-CA`. */
export const RegionCode = z
  .string()
  .regex(/^[A-Z]{2}-[A-Z0-9]{1,3}$/, 'expected an ISO 3166-2 subdivision code such as RU-MOW');

/**
 * A keyed HMAC-SHA-256, lower-case hex, with the version of its key (none: version 1): lets two
 * values be compared without storing either.
 */
export const KeyedFingerprint = z
  .string()
  .regex(
    /^(v[1-9][0-9]{0,5}\.)?[0-9a-f]{64}$/,
    'expected a keyed fingerprint: [v<key version>.]<lower-case hex HMAC-SHA-256>',
  );

/** A SHA-256 digest, lower-case hex. */
export const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'expected a lower-case hex SHA-256');

/** Human-written text with a bound, so that one event cannot grow without limit. */
export const Text = (max: number) => z.string().min(1).max(max);

/** A position in the global log in its text form `<commit>/<prepare>` (see `formatPosition`). */
export const LogPositionText = z.string().regex(/^\d{1,20}\/\d{1,20}$/, 'expected <commit>/<prepare>');

const distinct = (values: readonly unknown[]) => new Set(values).size === values.length;

/** A set carried as a JSON array: repeated values are refused rather than silently merged. */
export const SetOf = <T extends z.ZodType<string>>(item: T, max: number) =>
  z.array(item).max(max).refine(distinct, 'must not repeat a value');

/** A filter's set of accepted values: an empty one would match nothing, so it is refused. */
export const NonEmptySet = <T extends z.ZodType<string>>(item: T, max = 500) =>
  z.array(item).min(1).max(max).refine(distinct, 'must not repeat a value');
