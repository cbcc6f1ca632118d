import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { SellerHistory } from '#lx/contracts';
import { DisputeReads, type EscalatedReturn } from '../application/dispute-reads.port.js';
import { escalatedReturns } from './return-facts.queries.js';
import { readSellerHistory } from './seller-history.projection.js';

/** The dispute queries' reads, from the read models in the settlement app's PostgreSQL. */
@Injectable()
export class PostgresDisputeReads extends DisputeReads {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  escalatedReturns(
    limit: number,
    after: { commit: string; prepare: string } | null,
  ): Promise<{ items: EscalatedReturn[]; hasMore: boolean }> {
    return escalatedReturns(this.dataSource, limit, after);
  }

  sellerHistory(sellerId: string): Promise<SellerHistory> {
    return readSellerHistory(this.dataSource, sellerId);
  }
}
