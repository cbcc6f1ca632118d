import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Evidence, isEvent, ReturnRequested } from '#lx/contracts';
import { batchDecider } from '../domain/batch.decider.js';
import { leadDecider } from '../domain/lead.decider.js';
import { returnResponseDecider } from '../domain/return-response.decider.js';
import { LEADS_RUNTIME, SELLER_QUERIES, type LeadsServices } from './leads-tokens.js';
import type { SellerReads } from './seller-reads.port.js';
import type { UploadReceipt, UploadRequest } from './upload/receive-upload.js';

/*
 * The state changes of the sellers' context, one command each. The controllers check what is the
 * caller's to ask (ownership, input) and dispatch; the handlers change the log, the vault and the
 * suppression list. The handlers here decide or take several steps; those that only call one
 * service of the runtime are adapters, in infrastructure/seller-handlers.ts.
 */

/** A seller's file, streamed into a new batch (or answered with the batch an earlier retry created). */
export class UploadBatch extends Command<UploadReceipt> {
  constructor(readonly upload: UploadRequest) {
    super();
  }
}

/** Withdraws a verified batch and every lead of it still listed; answers how many leads were taken off sale. */
export class WithdrawBatch extends Command<{ leadsWithdrawn: number }> {
  constructor(
    readonly batchId: string,
    readonly sellerId: string,
    readonly reason?: string,
  ) {
    super();
  }
}

/**
 * Takes one of the seller's listed leads off the market. A sold-out lead is off the market already
 * and its sales stand: it is not withdrawn (that would only mislabel it), and the answer says so.
 */
export class WithdrawLead extends Command<'withdrawn' | 'sold-out'> {
  constructor(
    readonly leadId: string,
    readonly sellerId: string,
    readonly reason?: string,
  ) {
    super();
  }
}

/** The seller erases one of its leads on the person's request: its key is destroyed. */
export class EraseLead extends Command<'erased' | 'not-found'> {
  constructor(
    readonly leadId: string,
    readonly sellerId: string,
  ) {
    super();
  }
}

/** People on the suppression list, as fingerprints; answers how many fingerprints were new. */
export class SuppressPeople extends Command<number> {
  constructor(
    readonly fingerprints: string[],
    readonly reason: 'do_not_contact' | 'consent_revoked',
  ) {
    super();
  }
}

/** A person revoked consent: suppress them and erase every lead of theirs; answers the leads erased. */
export class RevokeConsent extends Command<string[]> {
  constructor(
    /** Under the current fingerprint key: what the suppression list stores. */
    readonly fingerprints: string[],
    /** Under every key held: what earlier leads of the person were fingerprinted with. */
    readonly underEveryKey: string[],
    readonly actor: string,
  ) {
    super();
  }
}

export type EvidenceKind = (typeof Evidence.shape.kind.options)[number];

export interface ReturnEvidence {
  kind: EvidenceKind;
  description: string;
  reference?: string;
}

/** The seller's answer to a return: accepted, or contested with evidence; answers whether it was recorded now. */
export class AnswerReturn extends Command<{ responded: boolean }> {
  constructor(
    readonly allocationId: string,
    readonly sellerId: string,
    readonly position: 'accept' | 'contest',
    readonly statement: string,
    readonly evidence: readonly ReturnEvidence[],
  ) {
    super();
  }
}

@CommandHandler(WithdrawBatch)
export class WithdrawBatchHandler implements ICommandHandler<WithdrawBatch> {
  constructor(
    @Inject(LEADS_RUNTIME) private readonly runtime: LeadsServices,
    @Inject(SELLER_QUERIES) private readonly queries: SellerReads,
  ) {}

  async execute({ batchId, sellerId, reason }: WithdrawBatch): Promise<{ leadsWithdrawn: number }> {
    const metadata = { actor: sellerId, correlationId: batchId };
    await this.runtime.aggregates.handle(
      `batch-${batchId}`,
      batchDecider,
      { type: 'WithdrawBatch', batchId, sellerId, reason },
      { metadata },
    );
    const leadIds = await this.queries.listedLeadIdsOfBatch(batchId);
    for (const leadId of leadIds)
      await this.runtime.aggregates.handle(
        `lead-${leadId}`,
        leadDecider,
        { type: 'WithdrawLead', leadId, sellerId, reason: reason ?? 'batch withdrawn' },
        { metadata },
      );
    return { leadsWithdrawn: leadIds.length };
  }
}

@CommandHandler(WithdrawLead)
export class WithdrawLeadHandler implements ICommandHandler<WithdrawLead> {
  constructor(
    @Inject(LEADS_RUNTIME) private readonly runtime: LeadsServices,
    @Inject(SELLER_QUERIES) private readonly queries: SellerReads,
  ) {}

  async execute({ leadId, sellerId, reason }: WithdrawLead): Promise<'withdrawn' | 'sold-out'> {
    const row = await this.queries.lead(sellerId, leadId);
    if (row?.market_status === 'sold') return 'sold-out';
    await this.runtime.aggregates.handle(
      `lead-${leadId}`,
      leadDecider,
      { type: 'WithdrawLead', leadId, sellerId, reason },
      { metadata: { actor: sellerId } },
    );
    return 'withdrawn';
  }
}

@CommandHandler(EraseLead)
export class EraseLeadHandler implements ICommandHandler<EraseLead> {
  constructor(
    @Inject(LEADS_RUNTIME) private readonly runtime: LeadsServices,
    @Inject(SELLER_QUERIES) private readonly queries: SellerReads,
  ) {}

  async execute({ leadId, sellerId }: EraseLead): Promise<'erased' | 'not-found'> {
    const row = await this.queries.lead(sellerId, leadId);
    if (!row) return 'not-found';
    await this.runtime.eraseLeads.eraseLead(leadId, row.envelope?.keyId ?? leadId, sellerId, sellerId);
    return 'erased';
  }
}

@CommandHandler(AnswerReturn)
export class AnswerReturnHandler implements ICommandHandler<AnswerReturn> {
  constructor(@Inject(LEADS_RUNTIME) private readonly runtime: LeadsServices) {}

  async execute(command: AnswerReturn): Promise<{ responded: boolean }> {
    const { allocationId, sellerId } = command;
    const seal = await this.sealerForLeadOf(allocationId);
    const result = await this.runtime.aggregates.handle(
      `return-${allocationId}`,
      returnResponseDecider,
      {
        type: 'RespondToReturn',
        response: {
          allocationId,
          sellerId,
          position: command.position,
          statement: await seal(command.statement),
          evidence: await Promise.all(
            command.evidence.map(async ({ kind, description, reference }) => ({
              kind,
              description: await seal(description),
              ...(reference !== undefined ? { reference: await seal(reference) } : {}),
            })),
          ),
        },
      },
      { metadata: { actor: sellerId } },
    );
    return { responded: result.events.length > 0 };
  }

  /**
   * The statement and evidence quote the person (a call log, a bounce): they are sealed under the
   * returned lead's key (its id), so that erasing the lead erases them. No return, nothing to seal:
   * the decider refuses the answer.
   */
  private async sealerForLeadOf(allocationId: string) {
    const events = await this.runtime.store.readStream(`return-${allocationId}`, { maxCount: 1 });
    const requested = events.find((event) => isEvent(ReturnRequested, event));
    return async (text: string) =>
      requested ? this.runtime.vault.sealUnder(requested.data.leadId, text) : text;
  }
}

/** The handlers declared here; the adapters' are infrastructure/seller-handlers.ts's. */
export const sellerCommandHandlers = [
  WithdrawBatchHandler,
  WithdrawLeadHandler,
  EraseLeadHandler,
  AnswerReturnHandler,
];
