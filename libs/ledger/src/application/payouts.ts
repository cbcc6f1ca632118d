import { PayoutIssued, newEvent } from '#lx/contracts';
import { DomainError } from '#lx/event-sourcing';
import { WrongExpectedVersionError, type EventStore } from '#lx/event-store';

export class NothingToPayOutError extends DomainError {
  readonly code = 'nothing-to-pay-out';
  constructor(sellerId: string, currency: string) {
    super(`Seller ${sellerId} has no available ${currency} balance to pay out`, { sellerId, currency });
  }
}

/** Another payout of this seller was issued meanwhile (or the ledger has not caught up with it): retry. */
export class PayoutConflictError extends DomainError {
  readonly code = 'payout-conflict';
  constructor(payoutId: string) {
    super(`Payout ${payoutId} exists already; the balance may have changed, try again`, { payoutId });
  }
}

export interface IssuedPayout {
  payoutId: string;
  sellerId: string;
  amount: number;
  currency: string;
}

/**
 * What a payout needs to know of the ledger read model. A port, so that the use case does not
 * depend on the SQL that answers it (the infrastructure's `ledgerPayoutBalances`).
 */
export interface PayoutBalances {
  /** The seller's available balance in the currency (0 if it has no such account). */
  availableBalance(sellerId: string, currency: string): Promise<number>;
  /** How many payouts of the seller the ledger holds. */
  payoutsIssued(sellerId: string): Promise<number>;
  /** Sellers with a positive available balance, one row per currency. */
  sellersWithAvailableBalance(): Promise<{ sellerId: string; currency: string }[]>;
}

/**
 * Pays out a seller's available balance. A seller's payouts are numbered (`<sellerId>.<n>`, the
 * next number after those the ledger holds) and appended with expectedRevision no_stream, so two
 * payouts decided on the same balance cannot both be issued: the second finds its stream taken.
 */
export class Payouts {
  constructor(
    private readonly store: EventStore,
    private readonly ledger: PayoutBalances,
  ) {}

  async payOut(sellerId: string, currency: string, actor: string, now: Date): Promise<IssuedPayout> {
    const amount = await this.ledger.availableBalance(sellerId, currency);
    if (amount <= 0) throw new NothingToPayOutError(sellerId, currency);
    const payoutId = `${sellerId}.${(await this.ledger.payoutsIssued(sellerId)) + 1}`;
    const event = newEvent(PayoutIssued, {
      payoutId,
      sellerId,
      amount,
      currency,
      reference: `payout ${payoutId}`,
    });
    try {
      await this.store.appendToStream(
        `payout-${payoutId}`,
        [{ ...event, metadata: { actor, occurredAt: now.toISOString() } }],
        { expectedRevision: 'no_stream' },
      );
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) throw new PayoutConflictError(payoutId);
      throw error;
    }
    return { payoutId, sellerId, amount, currency };
  }

  /** The scheduled run: every seller with an available balance, each currency. */
  async payOutEveryone(actor: string, now: Date): Promise<IssuedPayout[]> {
    const issued: IssuedPayout[] = [];
    for (const { sellerId, currency } of await this.ledger.sellersWithAvailableBalance()) {
      try {
        issued.push(await this.payOut(sellerId, currency, actor, now));
      } catch (error) {
        // A concurrent payout got there first; the next run picks up whatever is left.
        if (!(error instanceof PayoutConflictError || error instanceof NothingToPayOutError)) throw error;
      }
    }
    return issued;
  }
}
