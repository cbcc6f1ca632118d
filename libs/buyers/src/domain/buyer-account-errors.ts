import { DomainError } from '#lx/event-sourcing';

/** Expected refusals of buyer-account commands; the code decides the HTTP status (see libs/http). */
export class BuyerAccountError extends DomainError {
  constructor(
    readonly code:
      | 'insufficient-funds'
      | 'order-not-found'
      | 'order-exists'
      | 'order-state-conflict'
      | 'deposit-exists'
      | 'budget-reduction-refused'
      | 'order-expiry-in-past'
      | 'currency-mismatch'
      | 'release-exceeds-reservation'
      | 'invalid-webhook-url'
      | 'market-not-open',
    message: string,
    details: Record<string, unknown> = {},
  ) {
    super(message, details);
  }
}
