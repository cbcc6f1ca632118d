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
  /**
   * Folded states kept between loads, for deciders that ask for it (`keepFoldedStreams`), least
   * recently loaded first. Re-folding a whole stream on every load costs time and garbage that
   * grow with the stream (a buyer's account: every order it ever placed, a copy per event).
   */
  private readonly folded = new Map<string, { decider: object; revision: number; state: unknown }>();
  /** The last command queued on each stream with commands in flight in this process (see `handle`). */
  private readonly turns = new Map<string, Promise<unknown>>();

  constructor(
    private readonly store: EventStore,
    options: AggregateRepositoryOptions = {},
  ) {
    this.clock = options.clock ?? (() => new Date());
    this.newId = options.newId ?? randomUUID;
  }

  async load<State, Event extends DomainEvent>(
    stream: string,
    decider: Pick<Decider<State, never, Event>, 'initialState' | 'evolve' | 'keepFoldedStreams'>,
  ): Promise<LoadedAggregate<State>> {
    const keep = decider.keepFoldedStreams ?? 0;
    const kept = keep > 0 ? this.folded.get(stream) : undefined;
    if (kept && kept.decider === decider) {
      // Streams are append-only: the kept state plus what was appended since is the whole fold.
      const newer = await this.store.readStream(stream, { fromRevision: kept.revision + 1 });
      if (newer.length === 0 || newer[0]!.revision === kept.revision + 1) {
        const state = foldEvents(decider, newer as unknown as Event[], kept.state as State);
        return this.keep(stream, decider, keep, { state, revision: newer.at(-1)?.revision ?? kept.revision });
      }
    }
    const recorded = await this.store.readStream(stream);
    // The store validated each event against its schema when it was appended.
    const state = foldEvents(decider, recorded as unknown as Event[]);
    const loaded = { state, revision: recorded.at(-1)?.revision ?? -1 };
    return keep > 0 && loaded.revision >= 0 ? this.keep(stream, decider, keep, loaded) : loaded;
  }

  /** Streams whose folded state this repository keeps now (see `keepFoldedStreams`). */
  get keptStreams(): number {
    return this.folded.size;
  }

  private keep<State>(
    stream: string,
    decider: object,
    max: number,
    loaded: LoadedAggregate<State>,
  ): LoadedAggregate<State> {
    this.folded.delete(stream);
    this.folded.set(stream, { decider, ...loaded });
    for (const oldest of this.folded.keys()) {
      if (this.folded.size <= max) break;
      this.folded.delete(oldest);
    }
    return loaded;
  }

  /**
   * Commands on one stream run one after another in this process: concurrent commands on a hot
   * stream (a buyer's account under a burst of orders) would otherwise each load, lose the race to
   * one another and load again, work growing with the square of the commands waiting. Writers in
   * other processes still race; the retries on conflict settle those.
   */
  handle<State, Command, Event extends DomainEvent>(
    stream: string,
    decider: Decider<State, Command, Event>,
    command: Command,
    options: HandleOptions = {},
  ): Promise<HandleResult<State, Event>> {
    const previous = this.turns.get(stream);
    const result = previous
      ? previous.then(() => this.handleNow(stream, decider, command, options))
      : this.handleNow(stream, decider, command, options);
    const done = result.then(
      () => undefined,
      () => undefined,
    );
    this.turns.set(stream, done);
    void done.then(() => {
      if (this.turns.get(stream) === done) this.turns.delete(stream);
    });
    return result;
  }

  private async handleNow<State, Command, Event extends DomainEvent>(
    stream: string,
    decider: Decider<State, Command, Event>,
    command: Command,
    options: HandleOptions,
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
