import type { AggregateRepository, Decider, DomainEvent } from '#lx/event-sourcing';
import { WrongExpectedVersionError, type EventMetadata, type EventStore } from '#lx/event-store';

/** One stream's decision: its decider and the command it is asked. */
export interface StreamDecision {
  readonly stream: string;
  readonly decider: Decider<unknown, unknown, DomainEvent>;
  readonly command: unknown;
}

export function onStream<State, Command, Event extends DomainEvent>(
  stream: string,
  decider: Decider<State, Command, Event>,
  command: Command,
): StreamDecision {
  return { stream, decider: decider as unknown as Decider<unknown, unknown, DomainEvent>, command };
}

/**
 * Decides on several streams and appends what they decided in one write, each stream at the
 * revision its decision was based on; on a conflict every stream is loaded and decided again. A
 * check drawn by its batch and by its source is answered on both streams at once, and a batch's
 * sample is drawn with its sources' draws, so no answer can fall between the two (PostgreSQL
 * appends them in one transaction; EventStoreDB one stream after the other, §2).
 * Returns each stream's events, in the order of `decisions`.
 */
export async function decideTogether(
  repository: AggregateRepository,
  store: EventStore,
  decisions: readonly StreamDecision[],
  metadata: Partial<EventMetadata> & { occurredAt: string },
  retries = 3,
): Promise<DomainEvent[][]> {
  for (let attempt = 0; ; attempt++) {
    const decided = await Promise.all(
      decisions.map(async ({ stream, decider, command }) => {
        const { state, revision } = await repository.load(stream, decider);
        return { stream, revision, events: [...decider.decide(command, state, contextOf(metadata))] };
      }),
    );
    const writes = decided
      .filter(({ events }) => events.length > 0)
      .map(({ stream, revision, events }) => ({
        stream,
        events: events.map(({ type, data }) => ({ type, data, metadata })),
        expectedRevision: revision < 0 ? ('no_stream' as const) : revision,
      }));
    if (writes.length === 0) return decided.map(() => []);
    try {
      await store.appendToStreams(writes);
      return decided.map(({ events }) => events);
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError) || attempt >= retries) throw error;
    }
  }
}

// The authenticity deciders use neither the time nor fresh ids; the context is there for the type.
function contextOf(metadata: { occurredAt: string }) {
  return {
    now: new Date(metadata.occurredAt),
    newId: () => {
      throw new Error('the authenticity deciders create no ids');
    },
  };
}
