import { setTimeout as sleep } from 'node:timers/promises';
import { EntitySchema } from 'typeorm';
import type { EventTypeRegistry, RecordedEvent } from '#lx/event-store';
import { projectionWithHandlers, type Projection } from '../projection.js';
import { openReadModelDatabase, type ReadModelDatabase } from './read-model-database.js';

/** Test events: `ThingHappened {n}` on any stream, `OtherThingHappened` on `other-*` streams. */
export const projectionTestCatalogue: EventTypeRegistry = {
  describe: (type) =>
    type === 'ThingHappened' || type === 'OtherThingHappened'
      ? {
          type,
          schemaVersion: 1,
          categories: type === 'OtherThingHappened' ? ['other'] : [],
          validate: (data) => ({ ok: true, value: data }),
        }
      : undefined,
};

/** The test catalogue's events, by type, as the handler map sees them. */
export interface ProjectionTestEvents {
  ThingHappened: { n: number };
  OtherThingHappened: unknown;
}

export interface AppliedEvent {
  eventId: string;
  streamName: string;
  n: number;
  /** More than 1 would mean an event was applied twice. */
  timesApplied: number;
}

export interface StreamTotal {
  streamName: string;
  events: number;
  sumN: number;
}

export const AppliedEventEntity = new EntitySchema<AppliedEvent>({
  name: 'AppliedEvent',
  tableName: 'applied_event',
  columns: {
    eventId: { name: 'event_id', type: 'uuid', primary: true },
    streamName: { name: 'stream_name', type: 'text' },
    n: { type: 'int' },
    timesApplied: { name: 'times_applied', type: 'int' },
  },
});

export const StreamTotalEntity = new EntitySchema<StreamTotal>({
  name: 'StreamTotal',
  tableName: 'stream_total',
  columns: {
    streamName: { name: 'stream_name', type: 'text', primary: true },
    events: { type: 'int' },
    sumN: { name: 'sum_n', type: 'int' },
  },
});

export interface CountingProjectionOptions {
  /** Default `thing_counts`; tests sharing one database give each runner its own. */
  name?: string;
  version?: number;
  /** Throw after the handler's writes, before its transaction commits: a crash mid-event. */
  crashAfterWrite?: (event: RecordedEvent) => boolean;
  /** Terminate the transaction's own connection after the handler's writes: a lost database session. */
  killConnectionAfterWrite?: (event: RecordedEvent) => boolean;
  /** Slow each event down, to observe a rebuild while it runs. */
  delayMs?: number;
  /** Called after each applied write (not committed yet), e.g. to count handler runs. */
  onHandled?: (event: RecordedEvent) => void;
}

/** Counts `ThingHappened` events per stream and records each event it applied, and how often. */
export function countingProjection(options: CountingProjectionOptions = {}): Projection {
  return projectionWithHandlers<ProjectionTestEvents>({
    name: options.name ?? 'thing_counts',
    version: options.version ?? 1,
    entities: [AppliedEventEntity, StreamTotalEntity],
    createTables: (schema) => [
      `CREATE TABLE ${schema}.applied_event (
         event_id uuid PRIMARY KEY, stream_name text NOT NULL, n int NOT NULL, times_applied int NOT NULL)`,
      `CREATE TABLE ${schema}.stream_total (stream_name text PRIMARY KEY, events int NOT NULL, sum_n int NOT NULL)`,
    ],
    handlers: {
      async ThingHappened(event, manager) {
        if (options.delayMs) await sleep(options.delayMs);
        const { n } = event.data;
        // Unqualified table names: search_path points at this projection's schema.
        await manager.query(
          `INSERT INTO applied_event (event_id, stream_name, n, times_applied) VALUES ($1, $2, $3, 1)
         ON CONFLICT (event_id) DO UPDATE SET times_applied = applied_event.times_applied + 1`,
          [event.id, event.streamName, n],
        );
        const totals = manager.getRepository(StreamTotalEntity);
        const total = (await totals.findOneBy({ streamName: event.streamName })) ?? {
          streamName: event.streamName,
          events: 0,
          sumN: 0,
        };
        await totals.save({ ...total, events: total.events + 1, sumN: total.sumN + n });
        options.onHandled?.(event);
        if (options.crashAfterWrite?.(event)) throw new Error(`crash after writing ${event.id}`);
        if (options.killConnectionAfterWrite?.(event))
          await manager.query('SELECT pg_terminate_backend(pg_backend_pid())');
      },
    },
  });
}

/** A fresh database with the test catalogue's log and a DataSource for the counting projection. */
export type ThingDatabase = ReadModelDatabase;

export function openThingDatabase(
  label: string,
  dataSourceOptions: { poolSize?: number; extra?: { options: string } } = {},
): Promise<ThingDatabase> {
  return openReadModelDatabase(label, projectionTestCatalogue, {
    entities: [AppliedEventEntity, StreamTotalEntity],
    ...dataSourceOptions,
  });
}
