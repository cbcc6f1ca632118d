/**
 * The one table of refusals a caller can act on: every error code of the event store and of every
 * library's domain errors, with the HTTP status it answers with. A DomainError or EventStoreError
 * whose code is not here is a bug, not a refusal: it answers 500 and is logged.
 */
export const ERROR_STATUS_BY_CODE: Readonly<Record<string, number>> = {
  // event store (EventStoreError)
  'wrong-expected-version': 409,
  'duplicate-event-id': 409,
  'invalid-stream-name': 400,
  'event-schema-violation': 400,
  'event-too-large': 413,
  'unknown-event-type': 400,

  // access (ParticipantError)
  'participant-exists': 409,
  'participant-not-found': 404,
  'participant-suspended': 409,
  'api-key-not-found': 404,

  // leads
  'batch-not-found': 404,
  'batch-verifying-conflict': 409,
  'lead-not-found': 404,
  'lead-erased': 422,
  'return-not-found': 404,
  'seller-response-exists': 409,
  'return-already-decided': 422,
  'do-not-contact-list-not-found': 404,
  'do-not-contact-list-exists': 409,
  'do-not-contact-list-closed': 409,
  'do-not-contact-list-invalid': 422,

  // buyers (BuyerAccountError, ReturnRequestError, ConversionError, WebhookTargetRefused)
  'insufficient-funds': 422,
  'order-not-found': 404,
  'order-exists': 409,
  'order-state-conflict': 409,
  'deposit-exists': 409,
  'budget-reduction-refused': 422,
  'order-expiry-in-past': 422,
  'currency-mismatch': 422,
  'release-exceeds-reservation': 422,
  'invalid-webhook-url': 422,
  'webhook-not-found': 404,
  'market-not-open': 422,
  'return-exists': 409,
  'return-window-elapsed': 422,
  'conversion-exists': 409,
  'conversion-before-purchase': 422,
  'conversion-in-the-future': 422,
  'webhook-target-refused': 422,

  // matching (MarketSettingsConflict)
  conflict: 409,

  // ledger (NothingToPayOutError, PayoutConflictError)
  'nothing-to-pay-out': 422,
  'payout-conflict': 409,

  // returns (ReturnNotFoundError, ReturnDecisionExistsError, ReturnNotEscalatedError)
  'return-decision-exists': 409,
  'return-not-escalated': 422,

  // audit (AllocationNotFoundError)
  'allocation-not-found': 404,

  // authenticity (docs/architecture.md §4.1)
  'authenticity-task-not-found': 404,
  'authenticity-check-answered': 409,
  'authenticity-sample-not-found': 404,
  'authenticity-not-held': 409,
  'authenticity-source-not-found': 404,
  'authenticity-source-not-held': 409,
};

/** The status of a refusal with this code, or undefined when the code is not a known refusal. */
export function statusOfErrorCode(code: string): number | undefined {
  return Object.hasOwn(ERROR_STATUS_BY_CODE, code) ? ERROR_STATUS_BY_CODE[code] : undefined;
}
