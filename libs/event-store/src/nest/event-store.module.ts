import { Global, Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import type { EventStore } from '../event-store.port.js';
import type { EventTypeRegistry } from '../event-type-registry.js';
import { PostgresEventStore } from '../postgres/postgres-event-store.js';

/** Injection token of the EventStore port. */
export const EVENT_STORE = Symbol('EVENT_STORE');

export interface EventStoreModuleOptions {
  kind: 'postgres' | 'eventstoredb';
  postgresUrl: string;
  eventStoreDbUrl?: string;
  registry: EventTypeRegistry;
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
  static forRoot(options: EventStoreModuleOptions): DynamicModule {
    return {
      module: EventStoreModule,
      providers: [{ provide: EVENT_STORE, useFactory: () => connectEventStore(options) }, EventStoreCloser],
      exports: [EVENT_STORE],
    };
  }
}
