import { Body, Controller, Get, HttpCode, Post, Put } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import { CurrentPrincipal, notFound, Roles, type Principal, Answers, IdParam } from '#lx/http';
import {
  ConfigureWebhook,
  ConfirmDeposit,
  RotateWebhookSecret,
} from '../application/buyer-account-commands.js';
import {
  ConfigureWebhookRequest,
  ConfirmDepositRequest,
  RotateWebhookSecretRequest,
  type AccountView,
} from './account.dtos.js';
import { toAccountView } from './views.js';
import { GetBuyerAccount, IsRegisteredBuyer, ListDeposits } from '../application/buyer-reads.js';
import { AccountAnswer, DepositListAnswer, RotatedWebhookSecretAnswer, WebhookAnswer } from './responses.js';

@ApiTags('buyers: funds')
@Controller('v1')
export class AccountsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post('buyers/:buyerId/deposits')
  @Answers(AccountAnswer, { status: 201, description: 'The buyer’s balances after the deposit' })
  @Roles('operator')
  @ApiOperation({
    summary: 'Confirm a deposit (operator)',
    description:
      'An operator confirms that money reached the exchange for this buyer; it becomes available at once. ' +
      'This is where a payment provider plugs in: its settlement webhook would call this with its reference. ' +
      'The same depositId with the same amount again changes nothing.',
  })
  async deposit(
    @IdParam('buyerId') buyerId: string,
    @Body() body: ConfirmDepositRequest,
    @CurrentPrincipal() operator: Principal,
  ): Promise<AccountView> {
    if (!(await this.queries.execute(new IsRegisteredBuyer(buyerId)))) throw notFound(`Buyer ${buyerId}`);
    const depositId = body.depositId ?? body.reference.replace(/[^A-Za-z0-9_.:-]/g, '_').slice(0, 160);
    const account = await this.commands.execute(
      new ConfirmDeposit(
        buyerId,
        depositId,
        body.amount,
        body.currency,
        body.reference,
        operator.participantId,
      ),
    );
    return toAccountView(buyerId, account);
  }

  @Get('buyers/:buyerId/account')
  @Answers(AccountAnswer, { description: 'The buyer’s balances' })
  @Roles('operator')
  @ApiOperation({ summary: 'A buyer’s balances (operator)' })
  async accountForOperator(@IdParam('buyerId') buyerId: string): Promise<AccountView> {
    if (!(await this.queries.execute(new IsRegisteredBuyer(buyerId)))) throw notFound(`Buyer ${buyerId}`);
    return toAccountView(buyerId, await this.queries.execute(new GetBuyerAccount(buyerId)));
  }

  @Get('account')
  @Answers(AccountAnswer, { description: 'My balances per currency and my webhook' })
  @Roles('buyer')
  @ApiOperation({ summary: 'My balances: available, reserved by live orders, deposited — per currency' })
  async account(@CurrentPrincipal() buyer: Principal): Promise<AccountView> {
    return toAccountView(
      buyer.participantId,
      await this.queries.execute(new GetBuyerAccount(buyer.participantId)),
    );
  }

  @Get('account/deposits')
  @Answers(DepositListAnswer, { description: 'My confirmed deposits, newest first' })
  @Roles('buyer')
  @ApiOperation({
    summary: 'My deposits: each confirmed deposit with its amount, reference and when it was confirmed',
    description:
      'A buyer funds the account by a bank transfer (or a payment provider); an operator confirms it with ' +
      'POST /v1/buyers/{buyerId}/deposits and only then does it appear here, available at once.',
  })
  async deposits(@CurrentPrincipal() buyer: Principal): Promise<z.infer<typeof DepositListAnswer>> {
    return { items: await this.queries.execute(new ListDeposits(buyer.participantId)) };
  }

  @Put('webhook')
  @Answers(WebhookAnswer, { description: 'The webhook is set' })
  @Roles('buyer')
  @ApiOperation({
    summary: 'Configure my webhook (http or https); the signing secret is in this response only',
    description:
      'Deliveries are POSTed with X-LX-Timestamp (unix seconds) and X-LX-Signature: v1=<hex HMAC-SHA256 of ' +
      '"<timestamp>.<raw body>" keyed with the secret>; during a rotation\'s overlap the header holds one ' +
      'v1= signature per secret, comma-separated, newest first. Configuring again replaces the secret at ' +
      'once; POST /v1/webhook/secret/rotate replaces it with an overlap.',
  })
  async configureWebhook(
    @Body() body: ConfigureWebhookRequest,
    @CurrentPrincipal() buyer: Principal,
  ): Promise<{ url: string; secret: string }> {
    return this.commands.execute(new ConfigureWebhook(buyer.participantId, body.url, buyer.participantId));
  }

  @Post('webhook/secret/rotate')
  @HttpCode(200)
  @Answers(RotatedWebhookSecretAnswer, { description: 'The secret is rotated' })
  @Roles('buyer')
  @ApiOperation({
    summary: 'Rotate my webhook signing secret; the new secret is in this response only',
    description:
      'Deliveries are signed with the new secret at once and, until previousSecretValidUntil, with the ' +
      'previous one too (X-LX-Signature: v1=<new>,v1=<old>), so the receiver can switch without a gap. ' +
      '404 when no webhook is configured.',
  })
  async rotateWebhookSecret(
    @Body() body: RotateWebhookSecretRequest,
    @CurrentPrincipal() buyer: Principal,
  ): Promise<{ url: string; secret: string; previousSecretValidUntil: string }> {
    return this.commands.execute(
      new RotateWebhookSecret(buyer.participantId, body.overlapMinutes ?? 1440, buyer.participantId),
    );
  }
}
