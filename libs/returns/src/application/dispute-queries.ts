import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { loadParticipant } from '#lx/access';
import type { SellerHistory } from '#lx/contracts';
import { EVENT_STORE, type EventStore } from '#lx/event-store';
import { DisputeReads, type EscalatedReturn } from './dispute-reads.port.js';
import { decideBy, RETURNS_OPTIONS, type ReturnsOptions } from './returns-options.js';

/** A participant of a dispute, named as it registered (null if it never did). */
export interface NamedParticipant {
  participantId: string;
  name: string | null;
}

export type EscalatedDispute = Omit<EscalatedReturn, 'buyerId' | 'sellerId'> & {
  decideBy: string;
  overdue: boolean;
  buyer: NamedParticipant;
  seller: NamedParticipant;
};

/** The disputes waiting for an auditor, in log order after a position, with their deadline. */
export class GetEscalatedDisputes extends Query<{ items: EscalatedDispute[]; hasMore: boolean }> {
  constructor(
    readonly limit: number,
    readonly after: { commit: string; prepare: string } | null,
  ) {
    super();
  }
}

export interface DisputeEventView {
  type: string;
  data: unknown;
  actor: string | undefined;
  occurredAt: string;
  position: string;
}

/** The events of an allocation's return in log order (none: no return was requested). */
export class GetDisputeEvents extends Query<DisputeEventView[]> {
  constructor(readonly allocationId: string) {
    super();
  }
}

/** A seller's record and score; null when the id is not a registered seller's. */
export class GetSellerHistory extends Query<SellerHistory | null> {
  constructor(readonly sellerId: string) {
    super();
  }
}

@QueryHandler(GetEscalatedDisputes)
export class GetEscalatedDisputesHandler implements IQueryHandler<GetEscalatedDisputes> {
  constructor(
    private readonly reads: DisputeReads,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(RETURNS_OPTIONS) private readonly options: ReturnsOptions,
  ) {}

  async execute({ limit, after }: GetEscalatedDisputes) {
    const page = await this.reads.escalatedReturns(limit, after);
    const names = new Map<string, string | null>();
    const named = async (participantId: string): Promise<NamedParticipant> => {
      if (!names.has(participantId))
        names.set(participantId, (await loadParticipant(this.store, participantId)).state.name);
      return { participantId, name: names.get(participantId) ?? null };
    };
    const items: EscalatedDispute[] = [];
    const now = Date.now();
    for (const { buyerId, sellerId, position, ...item } of page.items) {
      const deadline = decideBy(item.escalatedAt, this.options);
      items.push({
        ...item,
        decideBy: deadline,
        overdue: Date.parse(deadline) < now,
        position,
        buyer: await named(buyerId),
        seller: await named(sellerId),
      });
    }
    return { items, hasMore: page.hasMore };
  }
}

@QueryHandler(GetDisputeEvents)
export class GetDisputeEventsHandler implements IQueryHandler<GetDisputeEvents> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ allocationId }: GetDisputeEvents): Promise<DisputeEventView[]> {
    const events = await this.store.readStream(`return-${allocationId}`);
    return events.map((event) => ({
      type: event.type,
      data: event.data,
      actor: event.metadata.actor,
      occurredAt: event.metadata.occurredAt,
      position: `${event.position.commit}/${event.position.prepare}`,
    }));
  }
}

@QueryHandler(GetSellerHistory)
export class GetSellerHistoryHandler implements IQueryHandler<GetSellerHistory> {
  constructor(
    private readonly reads: DisputeReads,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async execute({ sellerId }: GetSellerHistory): Promise<SellerHistory | null> {
    // A seller with no sales yet has no history row: whether the id is a seller is the participant's stream.
    const { state } = await loadParticipant(this.store, sellerId);
    if (!state.exists || state.role !== 'seller') return null;
    return this.reads.sellerHistory(sellerId);
  }
}

export const disputeQueryHandlers = [
  GetEscalatedDisputesHandler,
  GetDisputeEventsHandler,
  GetSellerHistoryHandler,
];
