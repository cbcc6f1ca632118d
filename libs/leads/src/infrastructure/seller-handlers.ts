import { Inject } from '@nestjs/common';
import { CommandHandler, QueryHandler, type ICommandHandler, type IQueryHandler } from '@nestjs/cqrs';
import { LEADS_RUNTIME, SELLER_QUERIES } from '../application/leads-tokens.js';
import { RevokeConsent, SuppressPeople, UploadBatch } from '../application/seller-commands.js';
import type { BatchView } from '../application/seller-reads.port.js';
import { GetBatch, GetBatchRejections, ListBatches, ListSuppressions } from '../application/seller-reads.js';
import type { UploadReceipt } from '../application/upload/receive-upload.js';
import type { DoNotContactListView } from '../application/do-not-contact/do-not-contact-store.port.js';
import {
  GetDoNotContactList,
  ListDoNotContactLists,
} from '../application/do-not-contact/do-not-contact-commands.js';
import type { LeadsRuntime } from './leads-runtime.js';
import type { SellerQueries } from './read-model/seller-queries.js';

/*
 * The handlers of the sellers' commands and queries that only call one service of the leads
 * runtime or pass on one read of the seller read model: adapters, here next to what they drive
 * (docs/architecture.md §1). The messages are the application's.
 */

@CommandHandler(UploadBatch)
export class UploadBatchHandler implements ICommandHandler<UploadBatch> {
  constructor(@Inject(LEADS_RUNTIME) private readonly runtime: LeadsRuntime) {}

  execute({ upload }: UploadBatch): Promise<UploadReceipt> {
    return this.runtime.receiveUpload.receive(upload);
  }
}

@CommandHandler(SuppressPeople)
export class SuppressPeopleHandler implements ICommandHandler<SuppressPeople> {
  constructor(@Inject(LEADS_RUNTIME) private readonly runtime: LeadsRuntime) {}

  execute({ fingerprints, reason }: SuppressPeople): Promise<number> {
    return this.runtime.verification.suppress(fingerprints, reason);
  }
}

@CommandHandler(RevokeConsent)
export class RevokeConsentHandler implements ICommandHandler<RevokeConsent> {
  constructor(@Inject(LEADS_RUNTIME) private readonly runtime: LeadsRuntime) {}

  execute({ fingerprints, underEveryKey, actor }: RevokeConsent): Promise<string[]> {
    return this.runtime.eraseLeads.revokeConsent(fingerprints, underEveryKey, actor);
  }
}

@QueryHandler(ListBatches)
export class ListBatchesHandler implements IQueryHandler<ListBatches> {
  constructor(@Inject(SELLER_QUERIES) private readonly queries: SellerQueries) {}

  execute({ sellerId, rows, before }: ListBatches): Promise<BatchView[]> {
    return this.queries.batches(sellerId, rows, before);
  }
}

@QueryHandler(GetBatch)
export class GetBatchHandler implements IQueryHandler<GetBatch> {
  constructor(@Inject(SELLER_QUERIES) private readonly queries: SellerQueries) {}

  execute({ sellerId, batchId }: GetBatch): Promise<BatchView | null> {
    return this.queries.batch(sellerId, batchId);
  }
}

@QueryHandler(GetBatchRejections)
export class GetBatchRejectionsHandler implements IQueryHandler<GetBatchRejections> {
  constructor(@Inject(SELLER_QUERIES) private readonly queries: SellerQueries) {}

  execute({ batchId }: GetBatchRejections): Promise<{ line: number; reasons: string[] }[]> {
    return this.queries.rejections(batchId);
  }
}

@QueryHandler(ListSuppressions)
export class ListSuppressionsHandler implements IQueryHandler<ListSuppressions> {
  constructor(@Inject(LEADS_RUNTIME) private readonly runtime: LeadsRuntime) {}

  execute({ rows, offset }: ListSuppressions) {
    return this.runtime.verification.suppressionPage(rows, offset);
  }
}

/** The adapters' handlers, for the module to register with the application's. */
@QueryHandler(GetDoNotContactList)
export class GetDoNotContactListHandler implements IQueryHandler<GetDoNotContactList> {
  constructor(@Inject(LEADS_RUNTIME) private readonly runtime: LeadsRuntime) {}

  execute({ listId }: GetDoNotContactList): Promise<DoNotContactListView | null> {
    return this.runtime.doNotContact.list(listId);
  }
}

@QueryHandler(ListDoNotContactLists)
export class ListDoNotContactListsHandler implements IQueryHandler<ListDoNotContactLists> {
  constructor(@Inject(LEADS_RUNTIME) private readonly runtime: LeadsRuntime) {}

  execute({ rows, offset }: ListDoNotContactLists): Promise<DoNotContactListView[]> {
    return this.runtime.doNotContact.lists(rows, offset);
  }
}

export const sellerCommandAdapterHandlers = [UploadBatchHandler, SuppressPeopleHandler, RevokeConsentHandler];
export const sellerQueryAdapterHandlers = [
  ListBatchesHandler,
  GetBatchHandler,
  GetBatchRejectionsHandler,
  ListSuppressionsHandler,
];
/** The do-not-contact lists' reads (their messages are in do-not-contact-commands.ts). */
export const doNotContactQueryAdapterHandlers = [GetDoNotContactListHandler, ListDoNotContactListsHandler];
