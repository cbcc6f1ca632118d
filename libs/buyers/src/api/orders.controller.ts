import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { AggregateRepository } from '#lx/event-sourcing';
import { CurrentPrincipal, idempotencyKeyOf, notFound, Roles, type Principal } from '#lx/http';
import {
  AmendPurchaseOrder,
  ChangeOrderStatus,
  PlacePurchaseOrder,
} from '../application/buyer-account-commands.js';
import { loadBuyerAccount } from '../application/buyer-account-stream.js';
import {
  MarketDepthQueries,
  type MarketDepth,
  type OrderPreview,
} from '../infrastructure/market-depth.queries.js';
import { toOrderFilters, toOrderTerms } from './catalogue-check.js';
import { MarketDepthQuery } from './after-sale.dtos.js';
import { OrderTermsRequest, PlaceOrderRequest, PreviewOrderRequest } from './order-terms.dtos.js';
import { toOrderView, type OrderView } from './views.js';

const LIVE_RULES =
  'While an order is live (open or paused) its filters, bid, max bid, modifiers, quantity, daily caps, ' +
  'exclusivity, expiry and delivery may change; its budget may only grow (the increase is reserved from the ' +
  'available balance — to spend less, cancel: the unspent part comes back when the engine closes the order); ' +
  'its vertical and currency never change. A cancelled or closed order cannot change.';

@ApiTags('buyers: purchase orders')
@Roles('buyer')
@Controller('v1')
export class OrdersController {
  constructor(
    private readonly commands: CommandBus,
    private readonly repository: AggregateRepository,
    private readonly depth: MarketDepthQueries,
  ) {}

  @Post('orders')
  @ApiOperation({
    summary: 'Place a standing purchase order; its budget is reserved from the available balance',
    description:
      'The budget must not exceed the available balance in the market’s currency (422 insufficient-funds, ' +
      'nothing reserved). ' +
      LIVE_RULES,
  })
  async place(
    @Body() body: PlaceOrderRequest,
    @CurrentPrincipal() buyer: Principal,
    @Req() request: { headers: Record<string, string | string[] | undefined> },
  ): Promise<OrderView> {
    const terms = toOrderTerms(body);
    const { orderId } = await this.commands.execute(
      new PlacePurchaseOrder(
        buyer.participantId,
        body.vertical,
        terms,
        buyer.participantId,
        idempotencyKeyOf(request),
      ),
    );
    return this.get(orderId, buyer);
  }

  @Post('orders/preview')
  @HttpCode(200)
  @ApiOperation({
    summary: 'How many resting leads match these filters now, and at what floors',
    description:
      'Non-personal attributes only; every filter applies, minSellerQuality against the seller-history part of each lead’s quality score.',
  })
  async preview(@Body() body: PreviewOrderRequest): Promise<OrderPreview> {
    const filters = toOrderFilters(body.filters);
    return this.depth.preview(body.vertical, filters, {
      ...(body.bid !== undefined ? { bid: body.bid } : {}),
      ...(body.exclusivity ? { exclusivity: body.exclusivity } : {}),
      now: new Date(),
    });
  }

  @Get('market-depth')
  @ApiOperation({
    summary: 'Anonymised resting inventory by region × age band × contact fields',
    description: 'Segments with fewer than 3 leads are suppressed (counted in suppressedSegments).',
  })
  async marketDepth(@Query() query: MarketDepthQuery): Promise<MarketDepth> {
    return this.depth.depth(query.vertical, new Date());
  }

  @Get('orders')
  @ApiOperation({ summary: 'My orders, newest first' })
  async list(@CurrentPrincipal() buyer: Principal): Promise<{ items: OrderView[] }> {
    const account = await loadBuyerAccount(this.repository, buyer.participantId);
    return { items: Object.values(account.orders).map(toOrderView).reverse() };
  }

  @Get('orders/:orderId')
  async get(@Param('orderId') orderId: string, @CurrentPrincipal() buyer: Principal): Promise<OrderView> {
    const account = await loadBuyerAccount(this.repository, buyer.participantId);
    const order = account.orders[orderId];
    if (!order) throw notFound(`Order ${orderId}`);
    return toOrderView(order);
  }

  @Put('orders/:orderId/terms')
  @ApiOperation({ summary: 'Amend: replace every term at once', description: LIVE_RULES })
  async amend(
    @Param('orderId') orderId: string,
    @Body() body: OrderTermsRequest,
    @CurrentPrincipal() buyer: Principal,
  ): Promise<OrderView> {
    await this.get(orderId, buyer);
    const terms = toOrderTerms(body);
    await this.commands.execute(
      new AmendPurchaseOrder(buyer.participantId, orderId, terms, buyer.participantId),
    );
    return this.get(orderId, buyer);
  }

  @Post('orders/:orderId/pause')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Pause: the engine stops matching; the budget stays reserved. Pausing twice is a no-op',
  })
  pause(@Param('orderId') orderId: string, @CurrentPrincipal() buyer: Principal): Promise<OrderView> {
    return this.change(orderId, 'pause', buyer);
  }

  @Post('orders/:orderId/resume')
  @HttpCode(200)
  @ApiOperation({ summary: 'Resume a paused order' })
  resume(@Param('orderId') orderId: string, @CurrentPrincipal() buyer: Principal): Promise<OrderView> {
    return this.change(orderId, 'resume', buyer);
  }

  @Post('orders/:orderId/cancel')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Cancel: final. The unspent budget returns when the engine confirms the close (OrderClosed)',
  })
  cancel(@Param('orderId') orderId: string, @CurrentPrincipal() buyer: Principal): Promise<OrderView> {
    return this.change(orderId, 'cancel', buyer);
  }

  private async change(orderId: string, change: 'pause' | 'resume' | 'cancel', buyer: Principal) {
    await this.get(orderId, buyer);
    await this.commands.execute(
      new ChangeOrderStatus(buyer.participantId, orderId, change, buyer.participantId),
    );
    return this.get(orderId, buyer);
  }
}
