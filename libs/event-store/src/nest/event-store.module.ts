import { Global, Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import type pg from 'pg';
import type { EventStore } from '../event-store.port.js';
import type { EventTypeRegistry } from '../event-type-registry.js';
import { PostgresEventStore } from '../postgres/postgres-event-store.js';

/** Injection token of the EventStore port. */
export const EVENT_STORE = Symbol('EVENT_STORE');

/**
 * Injection token of the process's one PostgreSQL pool (a `pg.Pool` on the log's database), for
 * every adapter that queries it: the event store, the read models, the sellers' write-side tables.
 * Its provider owns it and ends it; its users never do.
 */
export const POSTGRES_POOL = Symbol('POSTGRES_POOL');

export interface EventStoreModuleOptions {
  kind: 'postgres' | 'eventstoredb';
  postgresUrl: string;
  eventStoreDbUrl?: string;
  registry: EventTypeRegistry;
  /** The process's pool, for the PostgreSQL store to query through instead of opening its own. */
  postgresPool?: pg.Pool;
  log?: (message: string, error?: unknown) => void;
}

/** Connects the adapter chosen by configuration; the rest of the code sees only the port. */
export async function connectEventStore(options: EventStoreModuleOptions): Promise<EventStore> {
  if (options.kind === 'eventstoredb') {
    const { EventStoreDbEventStore } = await import('../eventstoredb/eventstoredb-event-store.js');
    return EventStoreDbEventStore.connect({
      connectionString: options.eventStoreDbUrl ?? '',
      registry: options.registry,
      log: options.log,
    });
  }
  return PostgresEventStore.connect({
    connectionString: options.postgresUrl,
    pool: options.postgresPool,
    registry: options.registry,
    log: options.log,
  });
}

class EventStoreCloser implements OnApplicationShutdown {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}
  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}

@Global()
@Module({})
export class EventStoreModule {
  /**
   * With `sharePool`, the PostgreSQL store queries through the process's pool, which another module
   * provides as POSTGRES_POOL (the platform's, TypeORM's), instead of opening a pool of its own.
   */
  static forRoot(
    options: Omit<EventStoreModuleOptions, 'postgresPool'> & { sharePool?: boolean },
  ): DynamicModule {
    const { sharePool, ...connect } = options;
    const store = sharePool
      ? {
          provide: EVENT_STORE,
          inject: [POSTGRES_POOL],
          useFactory: (postgresPool: pg.Pool) => connectEventStore({ ...connect, postgresPool }),
        }
      : { provide: EVENT_STORE, useFactory: () => connectEventStore(connect) };
    return {
      module: EventStoreModule,
      providers: [store, EventStoreCloser],
      exports: [EVENT_STORE],
    };
  }
}
