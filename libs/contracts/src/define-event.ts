import type { z } from 'zod';
import type { EventMetadata, EventTypeDescriptor, NewEvent, RecordedEvent } from '#lx/event-store';

export type EventValidation<T> = { ok: true; value: T } | { ok: false; issues: string[] };

/** One event type of the catalogue: its name, version, allowed stream categories and schema. */
export interface EventDefinition<
  TType extends string = string,
  TSchema extends z.ZodType = z.ZodType,
> extends EventTypeDescriptor {
  readonly type: TType;
  readonly schemaVersion: number;
  readonly categories: readonly string[];
  readonly schema: TSchema;
  validate(data: unknown): EventValidation<z.output<TSchema>>;
}

// `any` keeps every concrete definition assignable here (a schema type is invariant in its parameters).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyEventDefinition = EventDefinition<string, any>;

/** The data as read back from the store (after parsing). */
export type EventData<D extends AnyEventDefinition> = z.output<D['schema']>;
/** The data a writer supplies (before parsing). */
export type EventInput<D extends AnyEventDefinition> = z.input<D['schema']>;
/**
 * The events of some definitions as a fold reads them (`{ type, data }`), one union member per
 * definition: `CatalogueEvent<(typeof returnEvents)[number]>`. Consumers derive their unions from
 * the catalogue with it instead of listing event types by hand.
 */
export type CatalogueEvent<D extends AnyEventDefinition> = D extends AnyEventDefinition
  ? { readonly type: D['type']; readonly data: EventData<D> }
  : never;
export type RecordedEventOf<D extends AnyEventDefinition> = RecordedEvent<D['type'], EventData<D>>;
export type NewEventOf<D extends AnyEventDefinition> = NewEvent<D['type'], EventInput<D>>;

export interface EventSpec<TType extends string, TSchema extends z.ZodType> {
  type: TType;
  schemaVersion: number;
  categories: readonly string[];
  schema: TSchema;
}

const EVENT_TYPE = /^[A-Z][A-Za-z0-9]{2,79}$/;
const CATEGORY = /^[a-z][a-zA-Z0-9]{0,39}$/;

export function defineEvent<const TType extends string, TSchema extends z.ZodType>(
  spec: EventSpec<TType, TSchema>,
): EventDefinition<TType, TSchema> {
  // Mistakes here are programming errors: fail when the module loads, not at the first append.
  if (!EVENT_TYPE.test(spec.type)) throw new TypeError(`Event type "${spec.type}" is not PascalCase`);
  if (!Number.isInteger(spec.schemaVersion) || spec.schemaVersion < 1)
    throw new TypeError(`${spec.type}: schemaVersion must be a positive integer`);
  if (spec.categories.length === 0 || !spec.categories.every((c) => CATEGORY.test(c)))
    throw new TypeError(`${spec.type}: categories must be non-empty stream categories`);

  const { type, schemaVersion, schema } = spec;
  return Object.freeze({
    type,
    schemaVersion,
    categories: Object.freeze([...spec.categories]),
    schema,
    validate(data: unknown): EventValidation<z.output<TSchema>> {
      const parsed = schema.safeParse(data);
      if (parsed.success) return { ok: true, value: parsed.data };
      return { ok: false, issues: parsed.error.issues.map(formatIssue) };
    },
  });
}

/** `"<path>: <message>"`, e.g. `"competingBids.0.effectiveBid: Too small: expected number to be >=0"`. */
function formatIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.length === 0 ? '(root)' : issue.path.map(String).join('.');
  return `${path}: ${issue.message}`;
}

/** A typed event ready for `EventStore.appendToStream`; the store validates it again on append. */
export function newEvent<D extends AnyEventDefinition>(
  definition: D,
  data: EventInput<D>,
  metadata?: Partial<EventMetadata>,
): NewEventOf<D> {
  return metadata === undefined ? { type: definition.type, data } : { type: definition.type, data, metadata };
}

/** Narrows a recorded event by type; the store only holds data that passed the schema. */
export function isEvent<D extends AnyEventDefinition>(
  definition: D,
  recorded: RecordedEvent,
): recorded is RecordedEventOf<D> {
  return recorded.type === definition.type;
}
