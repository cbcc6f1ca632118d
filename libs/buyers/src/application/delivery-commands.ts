import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DeliveryRecords, type WebhookJob } from '../infrastructure/delivery-records.js';
import { WebhookDelivery } from '../infrastructure/webhook-delivery.js';

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

@CommandHandler(AcknowledgeDeliveries)
export class AcknowledgeDeliveriesHandler implements ICommandHandler<AcknowledgeDeliveries> {
  constructor(private readonly records: DeliveryRecords) {}

  execute({ buyerId, cursor }: AcknowledgeDeliveries): Promise<void> {
    return this.records.acknowledge(buyerId, cursor);
  }
}

@CommandHandler(RedeliverPurchase)
export class RedeliverPurchaseHandler implements ICommandHandler<RedeliverPurchase> {
  constructor(private readonly webhooks: WebhookDelivery) {}

  execute({ job }: RedeliverPurchase): Promise<boolean> {
    return this.webhooks.redeliver(job);
  }
}

export const deliveryCommandHandlers = [AcknowledgeDeliveriesHandler, RedeliverPurchaseHandler];
