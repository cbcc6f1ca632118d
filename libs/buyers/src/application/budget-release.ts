import { createHash } from 'node:crypto';
import { isEvent, OrderClosed } from '#lx/contracts';
import { WrongExpectedVersionError, type EventStore, type RecordedEvent } from '#lx/event-store';
import { AggregateRepository, type DecisionContext } from '#lx/event-sourcing';
import { buyerAccountDecider } from '../domain/buyer-account-decider.js';
import { buyerStream } from './buyer-account-stream.js';

/** A UUID derived from a name: the same input event always yields the same output event id. */
export function deterministicEventId(name: string): string {
  const hex = createHash('sha256').update(name).digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Reacts to the engine's OrderClosed (on market-*) by giving what the order still holds back on
 * the buyer stream. Idempotent twice over: the BudgetReleased id is derived from the OrderClosed id
 * (the store ignores a re-append), and the decider releases a closed order only once.
 */
export class BudgetReleaseOnOrderClosed {
  constructor(
    private readonly store: EventStore,
    private readonly repository: AggregateRepository,
  ) {}

  async handle(event: RecordedEvent): Promise<void> {
    if (!isEvent(OrderClosed, event)) return;
    const { orderId, buyerId, spent } = event.data;
    const stream = buyerStream(buyerId);
    const context: DecisionContext = { now: new Date(event.metadata.occurredAt), newId: () => event.id };
    for (let attempt = 0; ; attempt++) {
      const { state, revision } = await this.repository.load(stream, buyerAccountDecider);
      const decided = buyerAccountDecider.decide(
        { kind: 'release-closed-order', buyerId, orderId, spent },
        state,
        context,
      );
      if (decided.length === 0) return;
      try {
        await this.store.appendToStream(
          stream,
          decided.map((decision, index) => ({
            id: deterministicEventId(`BudgetReleased:${event.id}:${index}`),
            type: decision.type,
            data: decision.data,
            metadata: {
              actor: 'system',
              causationId: event.id,
              correlationId: event.metadata.correlationId,
              occurredAt: event.metadata.occurredAt,
            },
          })),
          { expectedRevision: revision < 0 ? 'no_stream' : revision },
        );
        return;
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError) || attempt >= 20) throw error;
      }
    }
  }
}
