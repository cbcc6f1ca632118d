import { randomUUID } from 'node:crypto';
import {
  deterministicUuid,
  LeadListed,
  LeadPostRejected,
  newEvent,
  PingReceived,
  type EventData,
  type SellerRecord,
} from '#lx/contracts';
import type { EventStore, RecordedEvent } from '#lx/event-store';
import type { ContactChecks } from '../../domain/contact-checks.js';
import type { ListingTerms } from '../../domain/listing-terms.js';
import { verifyPingLead } from '../../domain/ping-lead.js';
import { scoreLead } from '../../domain/quality-score.js';
import { REJECTION_REASONS, type RejectionReason } from '../../domain/rejection-reasons.js';
import { recordOfJson } from '../upload/parse-upload.js';
import type { MarketDefaults } from '../upload/receive-upload.js';
import type { VerifyBatch } from '../verification/verify-batch.js';
import type {
  AnswerWait,
  PingAnswerData,
  PostOutcomeData,
  RealtimeAnswers,
} from './realtime-answers.port.js';

/** The listing terms a post or a ping names (the currency is the market's). */
export type RealtimeTerms = Omit<ListingTerms, 'currency' | 'listingLifetimeHours'> & {
  listingLifetimeHours?: number;
};

export interface PostLeadRequest {
  sellerId: string;
  externalId: string;
  terms: RealtimeTerms;
  /** The upload row (the NDJSON record of one lead). */
  lead: Record<string, unknown>;
  pingId?: string;
}

export interface PingRequest {
  sellerId: string;
  terms: RealtimeTerms;
  lead: Record<string, unknown>;
}

/** What a seller is told about a posted lead. */
export type PostAnswer =
  | { leadId: string; status: 'rejected'; reasons: RejectionReason[]; pingId?: string }
  | { leadId: string; status: 'pending'; pingId?: string }
  | { leadId: string; status: 'decided'; outcome: PostOutcomeData };

export type PingAnswer =
  { pingId: string; status: 'pending' } | { pingId: string; status: 'answered'; answer: PingAnswerData };

export type PingRefused = { personalFields: string[]; unknownFields: string[]; reasons: RejectionReason[] };

export interface RealtimeSellingDeps {
  store: EventStore;
  verifyBatch: Pick<VerifyBatch, 'verifyAndList'>;
  answers: RealtimeAnswers;
  checks: ContactChecks;
  /** The market's published settings (or the defaults of a market not configured yet). */
  marketSettings: (vertical: string) => Promise<MarketDefaults>;
  maxLeadAgeDays: number;
  /** The seller's record as buyers experienced it (it may be a few seconds old, as a batch's is). */
  sellerHistory: (sellerId: string) => Promise<SellerRecord>;
  /** How long a post or a ping waits for the engine before answering `pending` (default 5 s). */
  waitMs?: number;
  clock?: () => Date;
}

/** A posted lead's id: one per seller and external id, so a repeated post is the same lead. */
export const postedLeadId = (sellerId: string, externalId: string) =>
  deterministicUuid('posted-lead', sellerId, externalId);

/**
 * Real-time selling (docs/architecture.md §5.2): a lead posted alone, verified and listed on the
 * batch path, answered with the engine's outcome; a ping, answered with the engine's price. The
 * apps never call each other: the sellers app appends, the engine answers on `market-<vertical>`,
 * and the answer reaches the waiting request through a subscription to the log.
 */
export class RealtimeSelling {
  constructor(private readonly deps: RealtimeSellingDeps) {}

  private get waitMs(): number {
    return this.deps.waitMs ?? 5000;
  }

  private now(): Date {
    return (this.deps.clock ?? (() => new Date()))();
  }

  async post(request: PostLeadRequest): Promise<PostAnswer> {
    const { store, answers } = this.deps;
    const leadId = postedLeadId(request.sellerId, request.externalId);
    const waiting = answers.expectOutcome(leadId);
    try {
      // The settings and the seller's record are usually in memory: asked for alongside, not after.
      const [[first], market, sellerHistory] = await Promise.all([
        store.readStream(`lead-${leadId}`, { maxCount: 1 }),
        this.deps.marketSettings(request.terms.vertical),
        this.deps.sellerHistory(request.sellerId),
      ]);
      if (first) return await this.answerOfEarlier(leadId, first, waiting);
      const submittedAt = this.now();
      const terms: ListingTerms = {
        ...request.terms,
        currency: market.currency,
        listingLifetimeHours: request.terms.listingLifetimeHours ?? market.listingLifetimeHours,
      };
      const row = recordOfJson({ ...request.lead, external_id: request.externalId }, 1);
      const pingId = request.pingId;
      const { rejections, listed } = await this.deps.verifyBatch.verifyAndList(
        {
          batchId: leadId,
          sellerId: request.sellerId,
          terms,
          submittedAt,
          dedupeWindowDays: market.dedupeWindowDays,
          consentMaxAgeDays: market.consentMaxAgeDays,
          sellerHistory,
          leadIdOf: () => leadId,
          posted: pingId !== undefined ? { pingId } : {},
        },
        [row],
      );
      if (listed.length === 0) {
        const reasons = rejections[0]?.reasons ?? ['invalid_value'];
        await store.appendToStream(
          `lead-${leadId}`,
          [
            {
              ...newEvent(
                LeadPostRejected,
                {
                  leadId,
                  sellerId: request.sellerId,
                  vertical: terms.vertical,
                  reasons,
                  ...(pingId !== undefined ? { pingId } : {}),
                  at: submittedAt.toISOString(),
                },
                { actor: request.sellerId, occurredAt: submittedAt.toISOString() },
              ),
              id: deterministicUuid('LeadPostRejected', leadId),
            },
          ],
          { expectedRevision: 'any' },
        );
        return { leadId, status: 'rejected', reasons, ...(pingId !== undefined ? { pingId } : {}) };
      }
      return await this.awaitOutcome(leadId, waiting, pingId);
    } finally {
      waiting.cancel();
    }
  }

  /** A repeated post (or one racing the first): the first post's answer, whatever this one carries. */
  private async answerOfEarlier(
    leadId: string,
    first: RecordedEvent,
    waiting: AnswerWait<PostOutcomeData>,
  ): Promise<PostAnswer> {
    if (first.type === LeadPostRejected.type) {
      const data = first.data as EventData<typeof LeadPostRejected>;
      return {
        leadId,
        status: 'rejected',
        reasons: data.reasons as RejectionReason[],
        ...(data.pingId !== undefined ? { pingId: data.pingId } : {}),
      };
    }
    const listed = first.data as EventData<typeof LeadListed>;
    const recorded = await this.deps.answers.outcome(leadId);
    if (recorded) return { leadId, status: 'decided', outcome: recorded };
    return this.awaitOutcome(leadId, waiting, listed.posted?.pingId);
  }

  private async awaitOutcome(
    leadId: string,
    waiting: AnswerWait<PostOutcomeData>,
    pingId: string | undefined,
  ): Promise<PostAnswer> {
    const outcome = await waiting.wait(this.waitMs);
    if (outcome) return { leadId, status: 'decided', outcome };
    return { leadId, status: 'pending', ...(pingId !== undefined ? { pingId } : {}) };
  }

  /** The outcome of a posted lead of the seller's, or null when it is not one. */
  async outcomeOf(sellerId: string, leadId: string): Promise<PostAnswer | null> {
    const [first] = await this.deps.store.readStream(`lead-${leadId}`, { maxCount: 1 });
    const owner = (first?.data as { sellerId?: string } | undefined)?.sellerId;
    if (!first || owner !== sellerId) return null;
    if (first.type === LeadListed.type && !(first.data as EventData<typeof LeadListed>).posted) return null;
    const waiting = this.deps.answers.expectOutcome(leadId);
    try {
      if (first.type === LeadPostRejected.type) return this.answerOfEarlier(leadId, first, waiting);
      const recorded = await this.deps.answers.outcome(leadId);
      if (recorded) return { leadId, status: 'decided', outcome: recorded };
      const pingId = (first.data as EventData<typeof LeadListed>).posted?.pingId;
      return { leadId, status: 'pending', ...(pingId !== undefined ? { pingId } : {}) };
    } finally {
      waiting.cancel();
    }
  }

  /**
   * A ping: refused (personal data, unknown fields, attributes that would not verify) before
   * anything is written; otherwise appended to `ping-<id>` and answered with the engine's price.
   */
  async ping(request: PingRequest): Promise<PingAnswer | { refused: PingRefused }> {
    const { store, answers } = this.deps;
    const now = this.now();
    const verdict = verifyPingLead(request.lead, {
      now,
      vertical: request.terms.vertical,
      maxLeadAgeDays: this.deps.maxLeadAgeDays,
      checks: this.deps.checks,
    });
    if (!verdict.accepted) {
      const { personalFields, unknownFields, reasons } = verdict;
      return { refused: { personalFields, unknownFields, reasons } };
    }
    const [market, history] = await Promise.all([
      this.deps.marketSettings(request.terms.vertical),
      this.deps.sellerHistory(request.sellerId),
    ]);
    const quality = scoreLead(
      { attributes: verdict.attributes, present: verdict.present } as Parameters<typeof scoreLead>[0],
      history,
      now,
      this.deps.maxLeadAgeDays,
    );
    const pingId = randomUUID();
    const waiting = answers.expectPingAnswer(pingId);
    try {
      await store.appendToStream(
        `ping-${pingId}`,
        [
          newEvent(
            PingReceived,
            {
              pingId,
              sellerId: request.sellerId,
              attributes: verdict.attributes,
              floor: request.terms.floor,
              currency: market.currency,
              exclusivity: request.terms.exclusivity,
              quality,
            },
            { actor: request.sellerId, occurredAt: now.toISOString() },
          ),
        ],
        { expectedRevision: 'no_stream' },
      );
      const answer = await waiting.wait(this.waitMs);
      return answer ? { pingId, status: 'answered', answer } : { pingId, status: 'pending' };
    } finally {
      waiting.cancel();
    }
  }

  /** A ping of the seller's: its answer, pending, or null when it is not the seller's. */
  async pingAnswerOf(sellerId: string, pingId: string): Promise<PingAnswer | null> {
    const [first] = await this.deps.store.readStream(`ping-${pingId}`, { maxCount: 1 });
    if (!first || (first.data as { sellerId?: string }).sellerId !== sellerId) return null;
    const answer = await this.deps.answers.pingAnswer(pingId);
    return answer ? { pingId, status: 'answered', answer } : { pingId, status: 'pending' };
  }
}

/** The reason codes explained, for the seller. */
export const explainReasons = (reasons: readonly string[]) =>
  reasons.map((reason) => REJECTION_REASONS[reason as RejectionReason] ?? reason);
