import { Command } from '@nestjs/cqrs';
import type { WebhookJob } from './buyer-views.js';

/*
 * The buyer's commands about deliveries. Each handler only drives the delivery machinery (the
 * delivery records, the webhook queue): they are adapters, in
 * infrastructure/delivery-command-handlers.ts.
 */

/** The buyer has processed its pulled leads up to this cursor: the next pull continues after it. */
export class AcknowledgeDeliveries extends Command<void> {
  constructor(
    readonly buyerId: string,
    readonly cursor: string,
  ) {
    super();
  }
}

/**
 * Sends a purchased lead to the buyer's webhook again, with a fresh set of retries. Answers false
 * when the lead is being delivered right now (nothing is queued then).
 */
export class RedeliverPurchase extends Command<boolean> {
  constructor(readonly job: WebhookJob) {
    super();
  }
}
