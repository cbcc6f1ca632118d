import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { AcknowledgeDeliveries, RedeliverPurchase } from '../application/delivery-commands.js';
import { DeliveryRecords } from './delivery-records.js';
import { WebhookDelivery } from './webhook-delivery.js';

/*
 * The handlers of the delivery commands: each only drives the delivery records or the webhook
 * queue, so each is an adapter, here next to them (docs/architecture.md §1).
 */

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

/** The delivery commands' handlers, for the module to register. */
export const deliveryCommandHandlers = [AcknowledgeDeliveriesHandler, RedeliverPurchaseHandler];
