import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Payouts, type IssuedPayout } from './payouts.js';

/** Pays out a seller's available balance in one currency, now. */
export class IssuePayout extends Command<IssuedPayout> {
  constructor(
    readonly sellerId: string,
    readonly currency: string,
    readonly actor: string,
  ) {
    super();
  }
}

@CommandHandler(IssuePayout)
export class IssuePayoutHandler implements ICommandHandler<IssuePayout> {
  constructor(@Inject(Payouts) private readonly payouts: Payouts) {}

  execute({ sellerId, currency, actor }: IssuePayout): Promise<IssuedPayout> {
    return this.payouts.payOut(sellerId, currency, actor, new Date());
  }
}

export const ledgerCommandHandlers = [IssuePayoutHandler];
