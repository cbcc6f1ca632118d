import { Module } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '#lx/event-store';
import { AggregateRepository } from './aggregate-repository.js';

/**
 * Provides `AggregateRepository` over the EventStore port. Needs `EVENT_STORE` in scope: import
 * `EventStoreModule.forRoot(...)` (global) once in the app.
 */
@Module({
  providers: [
    {
      provide: AggregateRepository,
      useFactory: (store: EventStore) => new AggregateRepository(store),
      inject: [EVENT_STORE],
    },
  ],
  exports: [AggregateRepository],
})
export class EventSourcingModule {}
