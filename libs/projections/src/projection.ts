import type { EntityManager, EntitySchema } from 'typeorm';
import type { EventFilter, RecordedEvent } from '#lx/event-store';

/** A TypeORM entity: a decorated class or an EntitySchema. */
export type ProjectionEntity = EntitySchema | (new (...args: never[]) => object);

/**
 * A read model built from the log. Its tables live in their own PostgreSQL schema (`rm_<name>`),
 * so a rebuild can fill a fresh copy beside the live one and swap it in by renaming schemas.
 */
export interface Projection {
  /** Lower snake case; names the schema `rm_<name>`. */
  readonly name: string;
  /** Bump when the tables or the handler change meaning: a stored projection of another version must be rebuilt. */
  readonly version: number;
  readonly filter: EventFilter;
  /** Entities mapped to this projection's tables, without a schema (resolved through search_path). */
  readonly entities: readonly ProjectionEntity[];
  /** DDL creating the tables inside `schema`; run once per schema, in one transaction. */
  createTables(schema: string): string[];
  /**
   * Applies one event. Runs inside the transaction that also advances the checkpoint, with
   * search_path set to the projection's schema: use unqualified table names and only `manager`.
   * A transaction may hold several events (a page, in log order): each sees the writes of the
   * ones before it. If it fails, it is rolled back and its events are handled again, so throw on
   * a bad event and do nothing outside `manager`.
   * Must be deterministic (no clock, no randomness), so that a rebuild reproduces the live tables.
   */
  handle(event: RecordedEvent, manager: EntityManager): Promise<void>;
  /**
   * Optional: applies several consecutive events (a page, in log order, at least two) at once — in
   * fewer statements than `handle` per event (multi-row inserts, one read for the page). It must
   * leave the tables exactly as `handle` applied to each event in order would, row for row: the
   * runner may apply any run of events either way (one event per transaction always goes through
   * `handle`). Same transaction, search_path and determinism as `handle`; if it throws, the
   * transaction is rolled back and its events are applied one per transaction with `handle`, so a
   * bad event is reported by `handle` on that event.
   */
  handleBatch?(events: readonly RecordedEvent[], manager: EntityManager): Promise<void>;
  /**
   * Optional: runs once per transaction, after its events' handlers and before the commit — for an
   * invariant that must hold after every batch rather than after every event (the ledger's books
   * balance). Throwing rolls the transaction back; the runner then applies its events one per
   * transaction, so the failure is reported on the first event after which the invariant breaks.
   */
  afterBatch?(events: readonly RecordedEvent[], manager: EntityManager): Promise<void>;
}

/** Applies one event of one type; the contract of `Projection.handle` holds for it. */
export type ProjectionEventHandler<TType extends string, TData> = (
  event: RecordedEvent<TType, TData>,
  manager: EntityManager,
) => Promise<void>;

/**
 * One handler per event type, keyed by type name. `TEvents` maps each type name to its data
 * (`CatalogueEvents` from `#lx/contracts` for the exchange's catalogue), so a handler receives its
 * event with that event's data type and a misspelt type name does not compile.
 */
export type ProjectionHandlers<TEvents> = {
  readonly [TType in keyof TEvents & string]?: ProjectionEventHandler<TType, TEvents[TType]>;
};

/** A projection declared by its handlers: everything of `Projection` but the filter and `handle`. */
export interface HandlerMapProjectionSpec<TEvents> extends Omit<Projection, 'filter' | 'handle'> {
  /** Narrows the subscription to these stream categories too (the event types come from `handlers`). */
  readonly streamCategories?: readonly string[];
  readonly handlers: ProjectionHandlers<TEvents>;
}

/**
 * Builds a projection from one handler per event type. The subscription's event types are the
 * handlers' keys, so the filter cannot drift from what the projection handles: an event type the
 * projection must see without storing anything (to be waited for, say) gets a handler that writes
 * nothing, which says so where it is declared.
 */
export function projectionWithHandlers<TEvents>(spec: HandlerMapProjectionSpec<TEvents>): Projection {
  const { streamCategories, handlers, ...projection } = spec;
  const byType = new Map<string, ProjectionEventHandler<string, unknown>>(
    Object.entries(handlers).filter(
      (entry): entry is [string, ProjectionEventHandler<string, unknown>] => typeof entry[1] === 'function',
    ),
  );
  if (byType.size === 0) throw new RangeError(`Projection "${spec.name}" handles no event type`);
  const eventTypes = Object.freeze([...byType.keys()]);
  return {
    ...projection,
    filter: streamCategories ? { streamCategories, eventTypes } : { eventTypes },
    // An event outside the filter is never delivered; were one handed over, it changes nothing,
    // as the `switch` statements this replaced did.
    handle: (event, manager) => byType.get(event.type)?.(event, manager) ?? Promise.resolve(),
  };
}

// Short enough that `rm_<name>__old_<n>` fits PostgreSQL's 63-byte identifiers; no `__`, which
// separates the rebuild suffixes.
const PROJECTION_NAME = /^[a-z](?:[a-z0-9]|_(?!_)){0,39}$/;

export function assertValidProjectionName(name: string): void {
  if (!PROJECTION_NAME.test(name) || name.endsWith('_'))
    throw new RangeError(
      `Invalid projection name "${String(name).slice(0, 80)}": expected lower snake case, at most 40 characters`,
    );
}

/** The schema the live read model is served from. */
export function liveSchemaOf(projection: Pick<Projection, 'name'>): string {
  assertValidProjectionName(projection.name);
  return `rm_${projection.name}`;
}

/** The schema a rebuild fills before it is swapped in. */
export function rebuildSchemaOf(projection: Pick<Projection, 'name'>): string {
  return `${liveSchemaOf(projection)}__next`;
}

/**
 * The libpq `options` that put every live read-model schema on a connection's search_path, so
 * read-side repositories use unqualified table names. Pass it as `extra: { options }` of a TypeORM
 * DataSource. Table names must therefore be unique across projections.
 */
export function readModelSearchPath(projections: readonly Pick<Projection, 'name'>[]): string {
  return `-c search_path=${[...projections.map(liveSchemaOf), 'public'].join(',')}`;
}

/** Every projection's entities, for the `entities` of the DataSource that serves and runs them. */
export function readModelEntities(projections: readonly Projection[]): ProjectionEntity[] {
  return projections.flatMap((projection) => projection.entities);
}
