import { Body, Controller, Get, HttpCode, Post, Put, Query, Req } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  Answers,
  CurrentPrincipal,
  IdParam,
  idempotencyKeyOf,
  notFound,
  Roles,
  type Principal,
} from '#lx/http';
import {
  AmendPurchaseOrder,
  ChangeOrderStatus,
  PlacePurchaseOrder,
} from '../application/buyer-account-commands.js';
import { GetMarketDepth, ListOrders, PreviewOrder } from '../application/buyer-reads.js';
import type { MarketDepth, OrderPreview } from '../infrastructure/market-depth.queries.js';
import { toDeliverySchedule, toOrderFilters, toOrderTerms } from './catalogue-check.js';
import { MarketDepthQuery } from './after-sale.dtos.js';
import { OrderTermsRequest, PlaceOrderRequest, PreviewOrderRequest } from './order-terms.dtos.js';
import { toOrderView, type OrderView } from './views.js';
import { MarketDepthAnswer, OrderAnswer, OrderListAnswer, OrderPreviewAnswer } from './responses.js';

const LIVE_RULES =
  'While an order is live (open or paused) its filters, bid, max bid, modifiers, quantity, daily caps, ' +
  'exclusivity, expiry and delivery may change; its budget may only grow (the increase is reserved from the ' +
  'available balance — to spend less, cancel: the unspent part comes back when the engine closes the order); ' +
  'its vertical and currency never change. A cancelled or closed order cannot change.';

const RESTING_LEADS_RULE =
  'A new order (and one resumed, amended or given a replacement) first meets the leads already resting in ' +
  'the market, at their floor, and takes the ones it values most first: its bid with modifiers for the lead, ' +
  'then the lead’s quality score, then freshness (latest capture), then listing order — deterministic, so a ' +
  'replay of the log takes the same leads. ';

@ApiTags('buyers: purchase orders')
@Roles('buyer')
@Controller('v1')
export class OrdersController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post('orders')
  @Answers(OrderAnswer, { status: 201, description: 'The order, placed and its budget reserved' })
  @ApiOperation({
    summary: 'Place a standing purchase order; its budget is reserved from the available balance',
    description:
      'The budget must not exceed the available balance in the market’s currency (422 insufficient-funds, ' +
      'nothing reserved). Only markets an engine runs take orders (422 market-not-open). ' +
      RESTING_LEADS_RULE +
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
  @Answers(OrderPreviewAnswer, {
    status: 201,
    description: 'What the order would meet in the resting inventory',
  })
  @HttpCode(200)
  @ApiOperation({
    summary: 'How many resting leads match these filters now, and at what floors',
    description:
      'Non-personal attributes only; every filter applies, minSellerQuality against the seller-history part of each lead’s quality score. ' +
      'With a schedule, the answer says whether the order would match now (outside its windows it does not) and when that changes.',
  })
  async preview(@Body() body: PreviewOrderRequest): Promise<OrderPreview> {
    const filters = toOrderFilters(body.filters);
    return this.queries.execute(
      new PreviewOrder(body.vertical, filters, {
        ...(body.bid !== undefined ? { bid: body.bid } : {}),
        ...(body.exclusivity ? { exclusivity: body.exclusivity } : {}),
        ...(body.schedule ? { schedule: toDeliverySchedule(body.schedule) } : {}),
        now: new Date(),
      }),
    );
  }

  @Get('market-depth')
  @Answers(MarketDepthAnswer, { description: 'Resting leads by segment' })
  @ApiOperation({
    summary: 'Anonymised resting inventory by region × age band × contact fields',
    description: 'Segments with fewer than 3 leads are suppressed (counted in suppressedSegments).',
  })
  async marketDepth(@Query() query: MarketDepthQuery): Promise<MarketDepth> {
    return this.queries.execute(new GetMarketDepth(query.vertical, new Date()));
  }

  @Get('orders')
  @Answers(OrderListAnswer, { description: 'My orders, newest first' })
  @ApiOperation({ summary: 'My orders, newest first' })
  async list(@CurrentPrincipal() buyer: Principal): Promise<{ items: OrderView[] }> {
    const orders = await this.queries.execute(new ListOrders(buyer.participantId));
    return { items: orders.map(({ order, progress }) => toOrderView(order, progress)).reverse() };
  }

  @Get('orders/:orderId')
  @ApiOperation({ summary: 'One of my orders: status, terms, money held and released' })
  @Answers(OrderAnswer, { description: 'The order' })
  async get(@IdParam('orderId') orderId: string, @CurrentPrincipal() buyer: Principal): Promise<OrderView> {
    const [found] = await this.queries.execute(new ListOrders(buyer.participantId, orderId));
    if (!found) throw notFound(`Order ${orderId}`);
    return toOrderView(found.order, found.progress);
  }

  @Put('orders/:orderId/terms')
  @Answers(OrderAnswer, { description: 'The order with its new terms' })
  @ApiOperation({ summary: 'Amend: replace every term at once', description: LIVE_RULES })
  async amend(
    @IdParam('orderId') orderId: string,
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
  @Answers(OrderAnswer, { description: 'The order, paused' })
  @HttpCode(200)
  @ApiOperation({
    summary: 'Pause: the engine stops matching; the budget stays reserved. Pausing twice is a no-op',
  })
  pause(@IdParam('orderId') orderId: string, @CurrentPrincipal() buyer: Principal): Promise<OrderView> {
    return this.change(orderId, 'pause', buyer);
  }

  @Post('orders/:orderId/resume')
  @Answers(OrderAnswer, { description: 'The order, live again' })
  @HttpCode(200)
  @ApiOperation({ summary: 'Resume a paused order' })
  resume(@IdParam('orderId') orderId: string, @CurrentPrincipal() buyer: Principal): Promise<OrderView> {
    return this.change(orderId, 'resume', buyer);
  }

  @Post('orders/:orderId/cancel')
  @Answers(OrderAnswer, { description: 'The order, cancelled' })
  @HttpCode(200)
  @ApiOperation({
    summary: 'Cancel: final. The unspent budget returns when the engine confirms the close (OrderClosed)',
    description:
      'An order in a market no engine has ever run (placed before orders there were refused) is closed at once and its whole budget released.',
  })
  cancel(@IdParam('orderId') orderId: string, @CurrentPrincipal() buyer: Principal): Promise<OrderView> {
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
