import { isEvent, OrderClosed, ReplacementDecided, uuidFromName } from '#lx/contracts';
import { WrongExpectedVersionError, type EventStore, type RecordedEvent } from '#lx/event-store';
import { AggregateRepository, type DecisionContext } from '#lx/event-sourcing';
import { buyerAccountDecider, type BuyerAccountCommand } from '../domain/buyer-account-decider.js';
import { buyerStream } from './buyer-account-stream.js';

/**
 * Reacts to the engine's answers about an order (on market-*):
 *  - OrderClosed: gives what the order still holds back on the buyer stream (BudgetReleased);
 *  - ReplacementDecided declined: the engine had closed the order before a refund for a replacement
 *    reached it; the refund came back with the close, and now buys the replacement as a one-lead
 *    order (as when the buyer account sees the order closed first).
 * Idempotent twice over: the written event's id is derived from the engine's event (the store
 * ignores a re-append), and the decider changes nothing the second time.
 */
export class EngineAnswersToOrders {
  constructor(
    private readonly store: EventStore,
    private readonly repository: AggregateRepository,
  ) {}

  async handle(event: RecordedEvent): Promise<void> {
    if (isEvent(OrderClosed, event)) {
      const { orderId, buyerId, spent } = event.data;
      await this.decide(
        event,
        buyerId,
        { kind: 'release-closed-order', buyerId, orderId, spent },
        'BudgetReleased',
      );
    } else if (isEvent(ReplacementDecided, event) && event.data.outcome === 'declined') {
      const { orderId, buyerId, allocationId, amount } = event.data;
      const command = { kind: 'replace-declined', buyerId, orderId, allocationId, amount } as const;
      await this.decide(event, buyerId, command, 'OrderPlaced');
    }
  }

  private async decide(
    cause: RecordedEvent,
    buyerId: string,
    command: BuyerAccountCommand,
    idPrefix: string,
  ): Promise<void> {
    const stream = buyerStream(buyerId);
    const context: DecisionContext = { now: new Date(cause.metadata.occurredAt), newId: () => cause.id };
    for (let attempt = 0; ; attempt++) {
      const { state, revision } = await this.repository.load(stream, buyerAccountDecider);
      const decided = buyerAccountDecider.decide(command, state, context);
      if (decided.length === 0) return;
      try {
        await this.store.appendToStream(
          stream,
          decided.map((decision, index) => ({
            id: uuidFromName(`${idPrefix}:${cause.id}:${index}`, '5'),
            type: decision.type,
            data: decision.data,
            metadata: {
              actor: 'system',
              causationId: cause.id,
              correlationId: cause.metadata.correlationId,
              occurredAt: cause.metadata.occurredAt,
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
