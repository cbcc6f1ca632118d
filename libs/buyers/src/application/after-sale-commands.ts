import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { AggregateRepository } from '#lx/event-sourcing';
import type { SaleReference } from '#lx/contracts';
import { conversionDecider, type ConversionData } from '../domain/conversion.js';
import { returnRequestDecider, type ReturnRequestData } from '../domain/return-request.js';
import { conversionStream, returnStream } from './buyer-account-stream.js';
import { MarketDirectory } from './market-directory.js';
import {
  PERSONAL_DATA_READER,
  type PersonalDataEnvelope,
  type PersonalDataReader,
} from './personal-data-reader.js';

/** The facts of one of the buyer's own allocations, looked up (and ownership-checked) by the caller. */
export interface OwnAllocation extends SaleReference {
  allocatedAt: string;
}

export class RequestReturn extends Command<void> {
  constructor(
    readonly allocation: OwnAllocation,
    readonly claim: Pick<ReturnRequestData, 'reason' | 'text' | 'evidence' | 'replace'>,
    readonly actor: string,
  ) {
    super();
  }
}

export class ReportConversion extends Command<void> {
  constructor(
    readonly allocation: OwnAllocation,
    readonly at: string,
    readonly value: ConversionData['value'],
    readonly actor: string,
  ) {
    super();
  }
}

@CommandHandler(RequestReturn)
export class RequestReturnHandler implements ICommandHandler<RequestReturn> {
  constructor(
    private readonly repository: AggregateRepository,
    private readonly markets: MarketDirectory,
    @Inject(PERSONAL_DATA_READER) private readonly personalData: PersonalDataReader,
  ) {}

  async execute({ allocation, claim, actor }: RequestReturn): Promise<void> {
    // The evidence quotes the person (a call log, a bounce): sealed under the lead's key, erased with it.
    const seal = (text: string | PersonalDataEnvelope) =>
      typeof text === 'string' ? this.personalData.sealText(allocation.leadId, text) : text;
    const evidence = await Promise.all(
      claim.evidence.map(async ({ description, reference, ...rest }) => ({
        ...rest,
        description: await seal(description),
        ...(reference !== undefined ? { reference: await seal(reference) } : {}),
      })),
    );
    const { returnWindowHours } = await this.markets.settingsOf(allocation.vertical);
    const { allocationId, leadId, orderId, buyerId, sellerId } = allocation;
    const request: ReturnRequestData = {
      allocationId,
      leadId,
      orderId,
      buyerId,
      sellerId,
      reason: claim.reason,
      evidence,
      ...(claim.text !== undefined ? { text: claim.text } : {}),
      ...(claim.replace !== undefined ? { replace: claim.replace } : {}),
    };
    await this.repository.handle(
      returnStream(allocationId),
      returnRequestDecider,
      { request, allocatedAt: allocation.allocatedAt, returnWindowHours },
      { metadata: { actor } },
    );
  }
}

@CommandHandler(ReportConversion)
export class ReportConversionHandler implements ICommandHandler<ReportConversion> {
  constructor(private readonly repository: AggregateRepository) {}

  async execute({ allocation, at, value, actor }: ReportConversion): Promise<void> {
    const conversion: ConversionData = {
      allocationId: allocation.allocationId,
      buyerId: allocation.buyerId,
      at,
      ...(value ? { value } : {}),
    };
    await this.repository.handle(
      conversionStream(allocation.allocationId),
      conversionDecider,
      { conversion, allocatedAt: allocation.allocatedAt },
      { metadata: { actor } },
    );
  }
}

export const afterSaleCommandHandlers = [RequestReturnHandler, ReportConversionHandler];
