import type { DataSource } from 'typeorm';
import type { AggregateRepository, HandleOptions } from '#lx/event-sourcing';
import type { RecordedEvent } from '#lx/event-store';
import type { EventData, ReturnAccepted, ReturnRequested } from '#lx/contracts';
import { buyerAccountDecider, buyerStream } from '#lx/buyers';
import { returnCaseDecider, type ReturnCaseCommand } from '../domain/return-case.decider.js';
import { windowEndsAt } from '../domain/return-terms.js';
import {
  AllocationNotProjectedError,
  returnTermsOf,
  type AllocationFacts,
  type ReturnFactsReader,
} from './return-facts.port.js';
import { waitForReadModel } from './read-model-wait.js';
import { sellerResponseMs, type ReturnsOptions } from './returns-options.js';
import type { SettlementFinalizer } from './settlement-finalizer.js';

export const RETURN_FACTS_SCHEMA = 'rm_return_facts';

/** Where the return window's closing is scheduled (a BullMQ delayed job in production). */
export interface ReturnWindowScheduler {
  scheduleClose(allocationId: string, at: Date, reason: 'allocated' | 'return-rejected'): Promise<void>;
  /** When the seller's time to answer a return runs out (one job per return). */
  scheduleSellerResponseDue(allocationId: string, at: Date): Promise<void>;
}

/**
 * Settlement's side of returns, driven by a subscription to the return streams: the automatic
 * decision on a request, the seller's answer (accept, or escalation to an auditor), and what an
 * accepted return does to the money (transfer voided, buyer refunded). Also the auditor's decision.
 */
export class ReturnDecisions {
  constructor(
    private readonly repository: AggregateRepository,
    /** Where `rm_return_facts` lives: a reaction waits until it has applied the event it reacts to. */
    private readonly dataSource: DataSource,
    private readonly facts: ReturnFactsReader,
    private readonly finalizer: SettlementFinalizer,
    private readonly scheduler: ReturnWindowScheduler,
    private readonly options: ReturnsOptions,
  ) {}

  async handle(event: RecordedEvent): Promise<void> {
    await waitForReadModel(this.dataSource, RETURN_FACTS_SCHEMA, event.position);
    const allocationId = (event.data as { allocationId: string }).allocationId;
    switch (event.type) {
      case 'ReturnRequested': {
        const request = event.data as EventData<typeof ReturnRequested>;
        const allocation = await this.allocation(request.allocationId);
        const terms = await returnTermsOf(this.facts, allocation, this.options);
        const facts = await this.facts.returnFacts(allocation, event.metadata.occurredAt, terms);
        const { status } = await this.decide({ kind: 'judge-automatically', allocationId, facts }, event);
        // Left to the seller: the seller's silence must not hold the money forever.
        if (status !== 'requested') return;
        const due = Date.parse(event.metadata.occurredAt) + sellerResponseMs(this.options);
        await this.scheduler.scheduleSellerResponseDue(allocationId, new Date(due));
        return;
      }
      case 'SellerResponded':
        await this.decide({ kind: 'follow-seller-response', allocationId }, event);
        return;
      case 'ReturnAccepted':
        await this.settleAcceptedReturn(
          event as RecordedEvent<'ReturnAccepted', EventData<typeof ReturnAccepted>>,
        );
        return;
      case 'ReturnRejected': {
        // A rejected return leaves the transfer to the window: close it when the window ends.
        const allocation = await this.allocation(allocationId);
        const terms = await returnTermsOf(this.facts, allocation, this.options);
        await this.scheduler.scheduleClose(
          allocationId,
          new Date(windowEndsAt(allocation.at, terms)),
          'return-rejected',
        );
        return;
      }
    }
  }

  /** The seller's time ran out: an unanswered return goes to an auditor (no-op once answered). */
  async escalateUnanswered(allocationId: string, now: Date): Promise<boolean> {
    const result = await this.repository.handle(
      `return-${allocationId}`,
      returnCaseDecider,
      {
        kind: 'escalate-unanswered',
        allocationId,
        allowedHours: Math.floor(sellerResponseMs(this.options) / 3_600_000),
      },
      { metadata: { actor: 'system', occurredAt: now.toISOString() } },
    );
    return result.events.length > 0;
  }

  async decideAsAuditor(command: Extract<ReturnCaseCommand, { kind: 'decide-as-auditor' }>, now: Date) {
    const result = await this.repository.handle(
      `return-${command.allocationId}`,
      returnCaseDecider,
      command,
      {
        metadata: { actor: command.auditorId, occurredAt: now.toISOString() },
      },
    );
    return result.events[0]!;
  }

  /** Decides on the return stream; returns the case as it stands afterwards. */
  private async decide(command: ReturnCaseCommand, cause: RecordedEvent) {
    const { state } = await this.repository.handle(
      `return-${command.allocationId}`,
      returnCaseDecider,
      command,
      causedBy(cause),
    );
    return state;
  }

  /** Voids the transfer (seller debited, commission reversed) and credits the buyer, each once. */
  private async settleAcceptedReturn(
    event: RecordedEvent<'ReturnAccepted', EventData<typeof ReturnAccepted>>,
  ): Promise<void> {
    const allocation = await this.allocation(event.data.allocationId);
    await this.finalizer.finalize(allocation, 'voided', causedBy(event).metadata!);
    await this.refund(allocation, event.data.replace === true, event);
  }

  /**
   * The price back on the buyer's account, which decides where it goes (the order's budget for a
   * replacement while the order is live, else the available balance) and credits each allocation
   * once. Busy buyer streams are retried: the refund must not be lost to a concurrent order.
   */
  private async refund(allocation: AllocationFacts, replace: boolean, cause: RecordedEvent): Promise<void> {
    const { allocationId, orderId, buyerId, currency, price } = allocation;
    if (price === 0) return;
    await this.repository.handle(
      buyerStream(buyerId),
      buyerAccountDecider,
      { kind: 'credit-refund', buyerId, orderId, allocationId, amount: price, currency, replace },
      { ...causedBy(cause), retries: 20 },
    );
  }

  private async allocation(allocationId: string): Promise<AllocationFacts> {
    const allocation = await this.facts.allocation(allocationId);
    if (!allocation) throw new AllocationNotProjectedError(allocationId);
    return allocation;
  }
}

/** Settlement's reactions carry the cause's correlation and happen at the cause's domain time. */
export function causedBy(cause: RecordedEvent): HandleOptions {
  return {
    metadata: {
      actor: 'system',
      correlationId: cause.metadata.correlationId,
      causationId: cause.id,
      occurredAt: cause.metadata.occurredAt,
    },
    context: { now: new Date(cause.metadata.occurredAt), newId: () => cause.id },
  };
}
