import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { isEvent, OrderPlaced, uuidFromName } from '#lx/contracts';
import { AggregateRepository } from '#lx/event-sourcing';
import { EVENT_STORE, type EventStore } from '#lx/event-store';
import { buyerAccountDecider } from '../domain/buyer-account-decider.js';
import { BuyerAccountError } from '../domain/buyer-account-errors.js';
import type { BuyerAccountState, OrderTerms } from '../domain/buyer-account.js';
import { buyerStream } from './buyer-account-stream.js';
import { MarketDirectory } from './market-directory.js';
import { WEBHOOK_TARGET_CHECK, type WebhookTargetCheck } from './webhook-target-check.js';
import { BUYERS_OPTIONS, type BuyersOptions } from './buyers-options.js';
import { newWebhookSecretRef, webhookSecret } from './webhook-secrets.js';

// A busy account sees many writers (orders, releases, refunds): retry conflicts generously.
const RETRIES = 20;

export class ConfirmDeposit extends Command<BuyerAccountState> {
  constructor(
    readonly buyerId: string,
    readonly depositId: string,
    readonly amount: number,
    readonly currency: string,
    readonly reference: string,
    readonly actor: string,
  ) {
    super();
  }
}

export class PlacePurchaseOrder extends Command<{ orderId: string }> {
  constructor(
    readonly buyerId: string,
    readonly vertical: string,
    readonly terms: OrderTerms,
    readonly actor: string,
    /** The request's Idempotency-Key: the order's id derives from it, so a retry cannot place a second order. */
    readonly idempotencyKey?: string,
  ) {
    super();
  }
}

export class AmendPurchaseOrder extends Command<void> {
  constructor(
    readonly buyerId: string,
    readonly orderId: string,
    readonly terms: OrderTerms,
    readonly actor: string,
  ) {
    super();
  }
}

export class ChangeOrderStatus extends Command<void> {
  constructor(
    readonly buyerId: string,
    readonly orderId: string,
    readonly change: 'pause' | 'resume' | 'cancel',
    readonly actor: string,
    readonly reason?: string,
  ) {
    super();
  }
}

export class ConfigureWebhook extends Command<{ url: string; secret: string }> {
  constructor(
    readonly buyerId: string,
    readonly url: string,
    readonly actor: string,
  ) {
    super();
  }
}

export class RotateWebhookSecret extends Command<{
  url: string;
  secret: string;
  previousSecretValidUntil: string;
}> {
  constructor(
    readonly buyerId: string,
    readonly overlapMinutes: number,
    readonly actor: string,
  ) {
    super();
  }
}

@CommandHandler(ConfirmDeposit)
export class ConfirmDepositHandler implements ICommandHandler<ConfirmDeposit> {
  constructor(private readonly repository: AggregateRepository) {}

  async execute(command: ConfirmDeposit): Promise<BuyerAccountState> {
    const { buyerId, depositId, amount, currency, reference } = command;
    const result = await this.repository.handle(
      buyerStream(buyerId),
      buyerAccountDecider,
      { kind: 'deposit', buyerId, depositId, amount, currency, reference },
      { metadata: { actor: command.actor }, retries: RETRIES },
    );
    return result.state;
  }
}

@CommandHandler(PlacePurchaseOrder)
export class PlacePurchaseOrderHandler implements ICommandHandler<PlacePurchaseOrder> {
  constructor(
    private readonly repository: AggregateRepository,
    private readonly markets: MarketDirectory,
  ) {}

  async execute(command: PlacePurchaseOrder): Promise<{ orderId: string }> {
    const { currency } = await this.markets.settingsOf(command.vertical);
    const marketOpen = await this.markets.isOpen(command.vertical);
    const { idempotencyKey } = command;
    const orderId = idempotencyKey
      ? uuidFromName(`lx:buyers:order:${command.buyerId}:${idempotencyKey}`, '5')
      : randomUUID();
    try {
      await this.repository.handle(
        buyerStream(command.buyerId),
        buyerAccountDecider,
        {
          kind: 'place-order',
          buyerId: command.buyerId,
          orderId,
          vertical: command.vertical,
          currency,
          terms: command.terms,
          marketOpen,
        },
        { metadata: { actor: command.actor }, retries: RETRIES },
      );
    } catch (error) {
      // The retry of a placement whose answer never arrived (the database or the connection went
      // away after the write, and the Redis record of the key with it): the same order, once.
      if (idempotencyKey && error instanceof BuyerAccountError && error.code === 'order-exists')
        return { orderId };
      throw error;
    }
    return { orderId };
  }
}

@CommandHandler(AmendPurchaseOrder)
export class AmendPurchaseOrderHandler implements ICommandHandler<AmendPurchaseOrder> {
  constructor(private readonly repository: AggregateRepository) {}

  async execute(command: AmendPurchaseOrder): Promise<void> {
    await this.repository.handle(
      buyerStream(command.buyerId),
      buyerAccountDecider,
      { kind: 'amend-order', buyerId: command.buyerId, orderId: command.orderId, terms: command.terms },
      { metadata: { actor: command.actor }, retries: RETRIES },
    );
  }
}

@CommandHandler(ChangeOrderStatus)
export class ChangeOrderStatusHandler implements ICommandHandler<ChangeOrderStatus> {
  constructor(
    private readonly repository: AggregateRepository,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly markets: MarketDirectory,
  ) {}

  async execute(command: ChangeOrderStatus): Promise<void> {
    const { buyerId, orderId } = command;
    const decision =
      command.change === 'cancel'
        ? ({
            kind: 'cancel-order',
            buyerId,
            orderId,
            reason: command.reason,
            engineTakesOrder: await this.engineTakes(buyerId, orderId),
          } as const)
        : ({ kind: `${command.change}-order`, buyerId, orderId } as const);
    await this.repository.handle(buyerStream(buyerId), buyerAccountDecider, decision, {
      metadata: { actor: command.actor },
      retries: RETRIES,
    });
  }

  /**
   * Whether an engine will answer the cancel with OrderClosed: one runs (or ran) the order's
   * market. Unknown orders: yes, the decider refuses them anyway.
   */
  private async engineTakes(buyerId: string, orderId: string): Promise<boolean> {
    const events = await this.store.readStream(buyerStream(buyerId));
    const placed = events.find((event) => isEvent(OrderPlaced, event) && event.data.orderId === orderId);
    if (!placed || !isEvent(OrderPlaced, placed)) return true;
    return this.markets.isOpen(placed.data.vertical);
  }
}

@CommandHandler(ConfigureWebhook)
export class ConfigureWebhookHandler implements ICommandHandler<ConfigureWebhook> {
  constructor(
    private readonly repository: AggregateRepository,
    @Inject(BUYERS_OPTIONS) private readonly options: BuyersOptions,
    @Inject(WEBHOOK_TARGET_CHECK) private readonly targets: WebhookTargetCheck,
  ) {}

  async execute(command: ConfigureWebhook): Promise<{ url: string; secret: string }> {
    await this.targets.check(command.url);
    const secretRef = newWebhookSecretRef();
    await this.repository.handle(
      buyerStream(command.buyerId),
      buyerAccountDecider,
      { kind: 'configure-webhook', buyerId: command.buyerId, url: command.url, secretRef },
      { metadata: { actor: command.actor }, retries: RETRIES },
    );
    return {
      url: command.url,
      secret: webhookSecret(this.options.webhookSigningKey, command.buyerId, secretRef),
    };
  }
}

@CommandHandler(RotateWebhookSecret)
export class RotateWebhookSecretHandler implements ICommandHandler<RotateWebhookSecret> {
  constructor(
    private readonly repository: AggregateRepository,
    @Inject(BUYERS_OPTIONS) private readonly options: BuyersOptions,
  ) {}

  async execute(
    command: RotateWebhookSecret,
  ): Promise<{ url: string; secret: string; previousSecretValidUntil: string }> {
    const secretRef = newWebhookSecretRef();
    const previousValidUntil = new Date(Date.now() + command.overlapMinutes * 60_000).toISOString();
    const { state } = await this.repository.handle(
      buyerStream(command.buyerId),
      buyerAccountDecider,
      { kind: 'rotate-webhook-secret', buyerId: command.buyerId, secretRef, previousValidUntil },
      { metadata: { actor: command.actor }, retries: RETRIES },
    );
    return {
      url: state.webhook!.url,
      secret: webhookSecret(this.options.webhookSigningKey, command.buyerId, secretRef),
      previousSecretValidUntil: previousValidUntil,
    };
  }
}

export const buyerAccountCommandHandlers = [
  RotateWebhookSecretHandler,
  ConfirmDepositHandler,
  PlacePurchaseOrderHandler,
  AmendPurchaseOrderHandler,
  ChangeOrderStatusHandler,
  ConfigureWebhookHandler,
];
