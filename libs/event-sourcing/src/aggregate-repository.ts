import { randomUUID } from 'node:crypto';
import {
  WrongExpectedVersionError,
  type EventMetadata,
  type EventStore,
  type LogPosition,
} from '#lx/event-store';
import { foldEvents, type DecisionContext, type Decider, type DomainEvent } from './decider.js';

export interface LoadedAggregate<State> {
  state: State;
  /** Revision of the stream's last event; -1 when the stream does not exist. */
  revision: number;
}

export interface HandleOptions {
  /** Time and ids for `decide`; default: the repository's clock and random UUIDs. */
  context?: DecisionContext;
  /** Correlation, causation and actor of the new events; `occurredAt` defaults to `context.now`. */
  metadata?: Partial<EventMetadata>;
  /** How many times to reload and decide again when another writer got to the stream first. Default 3. */
  retries?: number;
}

export interface HandleResult<State, Event> {
  /** The events appended; empty when the command changed nothing (and nothing was appended). */
  events: Event[];
  /** The state after those events. */
  state: State;
  nextRevision: number;
  /** Log position of the last event appended; null when nothing was appended. */
  position: LogPosition | null;
}

export interface AggregateRepositoryOptions {
  clock?: () => Date;
  newId?: () => string;
}

/**
 * Loads aggregates by folding their stream and handles commands with optimistic concurrency:
 * append at the exact revision the decision was based on, and on a conflict decide again on the
 * fresh state. Framework-free; `EventSourcingModule` provides it to Nest.
 */
export class AggregateRepository {
  private readonly clock: () => Date;
  private readonly newId: () => string;

  constructor(
    private readonly store: EventStore,
    options: AggregateRepositoryOptions = {},
  ) {
    this.clock = options.clock ?? (() => new Date());
    this.newId = options.newId ?? randomUUID;
  }

  async load<State, Event extends DomainEvent>(
    stream: string,
    decider: Pick<Decider<State, never, Event>, 'initialState' | 'evolve'>,
  ): Promise<LoadedAggregate<State>> {
    const recorded = await this.store.readStream(stream);
    // The store validated each event against its schema when it was appended.
    const state = foldEvents(decider, recorded as unknown as Event[]);
    return { state, revision: recorded.at(-1)?.revision ?? -1 };
  }

  async handle<State, Command, Event extends DomainEvent>(
    stream: string,
    decider: Decider<State, Command, Event>,
    command: Command,
    options: HandleOptions = {},
  ): Promise<HandleResult<State, Event>> {
    const retries = options.retries ?? 3;
    const context = options.context ?? { now: this.clock(), newId: this.newId };
    const metadata = {
      ...options.metadata,
      occurredAt: options.metadata?.occurredAt ?? context.now.toISOString(),
    };
    for (let attempt = 0; ; attempt++) {
      const { state, revision } = await this.load(stream, decider);
      const events = [...decider.decide(command, state, context)];
      if (events.length === 0) return { events, state, nextRevision: revision, position: null };
      try {
        const appended = await this.store.appendToStream(
          stream,
          events.map(({ type, data }) => ({ type, data, metadata })),
          { expectedRevision: revision < 0 ? 'no_stream' : revision },
        );
        return {
          events,
          state: foldEvents(decider, events, state),
          nextRevision: appended.nextRevision,
          position: appended.position,
        };
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError) || attempt >= retries) throw error;
      }
    }
  }
}
