import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  CurrentPrincipal,
  encodeCursor,
  IdParam,
  notFound,
  ProblemException,
  Roles,
  type Principal,
  Answers,
} from '#lx/http';
import { AcknowledgeDeliveries, RedeliverPurchase } from '../application/delivery-commands.js';
import {
  DiscloseLead,
  FindPurchase,
  GetPullCursor,
  ListPurchases,
  ListWebhookDeliveries,
} from '../application/buyer-reads.js';
import type { LeadDisclosure } from '../infrastructure/lead-personal-data.js';
import type { PurchaseView } from '../infrastructure/purchases.queries.js';
import type { DeliveryStatus } from '../infrastructure/webhook-delivery.js';
import { AckDeliveriesRequest, DeliveriesQuery } from './after-sale.dtos.js';
import { afterCursor, positionCursor } from './purchased-leads.controller.js';
import {
  DeliveriesAnswer,
  DeliveryAckAnswer,
  RedeliveryAnswer,
  WebhookDeliveriesAnswer,
} from './responses.js';

@ApiTags('buyers: delivery')
@Roles('buyer')
@Controller('v1')
export class DeliveriesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get('deliveries')
  @Answers(DeliveriesAnswer, { description: 'Leads allocated after the cursor, with their personal data' })
  @ApiOperation({
    summary: 'Pull API: my purchased leads with their personal data, in allocation order, after a cursor',
    description:
      'Without `after`, continues from the last acknowledged cursor. Process the page, then POST its ' +
      'nextCursor to /v1/deliveries/ack. The alternative to webhooks, for buyers who cannot receive calls.',
  })
  async pull(
    @Query() query: DeliveriesQuery,
    @CurrentPrincipal() buyer: Principal,
  ): Promise<{ items: (PurchaseView & { lead: LeadDisclosure })[]; nextCursor: string | null }> {
    const limit = query.limit ?? 50;
    const cursor =
      query.after ?? (await this.queries.execute(new GetPullCursor(buyer.participantId))) ?? undefined;
    const after = afterCursor(cursor);
    const rows = await this.queries.execute(new ListPurchases(buyer.participantId, { after }, limit));
    const items = await Promise.all(
      rows.map(async (row) => ({
        ...row,
        lead: await this.queries.execute(new DiscloseLead(row.leadId)),
      })),
    );
    const last = rows.at(-1);
    return { items, nextCursor: last ? encodeCursor(positionCursor(last)) : (cursor ?? null) };
  }

  @Post('deliveries/ack')
  @Answers(DeliveryAckAnswer, { description: 'The cursor is acknowledged' })
  @HttpCode(200)
  @ApiOperation({ summary: 'Acknowledge everything up to this cursor' })
  async ack(
    @Body() body: AckDeliveriesRequest,
    @CurrentPrincipal() buyer: Principal,
  ): Promise<{ cursor: string }> {
    afterCursor(body.cursor); // refuses a cursor this API did not issue
    await this.commands.execute(new AcknowledgeDeliveries(buyer.participantId, body.cursor));
    return { cursor: body.cursor };
  }

  @Get('webhook/deliveries')
  @Answers(WebhookDeliveriesAnswer, { description: 'Each webhook delivery and its state' })
  @ApiOperation({ summary: 'Webhook deliveries and their state: pending, delivered, dead (dead-lettered)' })
  async deliveries(@CurrentPrincipal() buyer: Principal): Promise<{ items: DeliveryStatus[] }> {
    return { items: await this.queries.execute(new ListWebhookDeliveries(buyer.participantId)) };
  }

  @Post('webhook/deliveries/:allocationId/redeliver')
  @Answers(RedeliveryAnswer, { status: 202, description: 'The delivery is queued again' })
  @HttpCode(202)
  @ApiOperation({ summary: 'Send a purchased lead to my webhook again, with a fresh set of retries' })
  async redeliver(
    @IdParam('allocationId') allocationId: string,
    @CurrentPrincipal() buyer: Principal,
  ): Promise<{ allocationId: string; queued: true }> {
    const purchase = await this.queries.execute(new FindPurchase(buyer.participantId, allocationId));
    if (!purchase) throw notFound(`Purchased lead ${allocationId}`);
    const queued = await this.commands.execute(
      new RedeliverPurchase({
        allocationId,
        leadId: purchase.leadId,
        orderId: purchase.orderId,
        buyerId: buyer.participantId,
        sellerId: purchase.sellerId,
        vertical: purchase.vertical,
        currency: purchase.currency,
        price: purchase.price,
        allocatedAt: purchase.allocatedAt,
      }),
    );
    if (!queued)
      throw new ProblemException(
        409,
        'delivery-in-progress-conflict',
        'Delivery in progress',
        'This lead is being delivered now',
      );
    return { allocationId, queued: true };
  }
}
