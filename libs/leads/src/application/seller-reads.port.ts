import type { SellerRecord } from '#lx/contracts';
import type { SealedEnvelope } from '#lx/vault';
import type { SourceTotals } from '../domain/source-report.js';

/*
 * What the sellers' use cases read of the seller read model. A port: the infrastructure's
 * SellerQueries implements it; the module provides it under SELLER_QUERIES (leads-tokens.ts).
 */

export interface BatchView {
  batchId: string;
  status: 'verifying' | 'verified' | 'withdrawn';
  terms: unknown;
  submittedAt: string;
  progress: { share: number; totalRows: number; processed: number; accepted: number; rejected: number };
  reasons: Record<string, number>;
}

export interface LeadRow {
  lead_id: string;
  seller_id: string;
  batch_id: string;
  attributes: unknown;
  floor: string;
  currency: string;
  exclusivity: unknown;
  expires_at: Date;
  quality: unknown;
  envelope: SealedEnvelope | null;
  status: string;
  /** Where the lead stands in the market: `status`, or `sold` once it made all its sales. */
  market_status: string;
  sales: number;
  proceeds: string;
  returned: number;
  listed_at: Date;
  position_commit: string;
  position_prepare: string;
}

export interface SellerActivityRows {
  days: { day: string; listed: number; sold: number; returned: number }[];
  quality: {
    leads: number;
    score: number;
    parts: { completeness: number; verification: number; freshness: number; sellerHistory: number };
  };
}

export interface SellerReads {
  /** The seller's record so far (sold, returned, converted); the neutral prior when it has none. */
  sellerRecord(sellerId: string): Promise<SellerRecord>;
  /** Up to `limit` of the seller's leads in listing order, after a log position. */
  leads(
    sellerId: string,
    options: { limit: number; batchId?: string; status?: string; after?: { c: string; p: string } },
  ): Promise<LeadRow[]>;
  /** One of the seller's leads; null when it is not the seller's. */
  lead(sellerId: string, leadId: string): Promise<LeadRow | null>;
  /** The leads of a batch still listed. */
  listedLeadIdsOfBatch(batchId: string): Promise<string[]>;
  /** The seller's listings, sales and returns per day since `since`, and its quality. */
  activity(sellerId: string, since: Date): Promise<SellerActivityRows>;
  /** Returns requested against the seller's leads, newest first. */
  returns(sellerId: string, limit: number): Promise<unknown[]>;
  /** The seller's leads counted per source, sub-source and currency. */
  sourceTotals(sellerId: string): Promise<SourceTotals[]>;
}
