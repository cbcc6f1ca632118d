import {
  ConsentRecord,
  LeadAttributes,
  LeadBatchRowsRejected,
  LeadListed,
  newEvent,
  type EventInput,
} from '#lx/contracts';
import type { AggregateRepository } from '#lx/event-sourcing';
import type { EventStore } from '#lx/event-store';
import type { PersonalDataVault, SealedEnvelope } from '#lx/vault';
import { batchDecider } from '../../domain/batch.decider.js';
import type { ContactChecks } from '../../domain/contact-checks.js';
import { deterministicUuid } from '#lx/contracts';
import { leadIdFor } from '../../domain/deterministic-id.js';
import type { ContactFingerprinter } from '../../domain/fingerprint.js';
import { expiresAt } from '../../domain/listing-terms.js';
import { scoreLead } from '../../domain/quality-score.js';
import type { NumberedRecord } from '../../domain/raw-lead-record.js';
import type { RejectionReason } from '../../domain/rejection-reasons.js';
import { verifyLeadRow, type RowVerdict, type VerifiedLead } from '../../domain/verify-lead-row.js';
import { stagingKeyId } from '../upload/receive-upload.js';
import type {
  BatchProgress,
  ChunkOutcome,
  FingerprintClaim,
  VerificationStore,
} from './verification-store.port.js';

export interface VerifyBatchDeps {
  store: EventStore;
  aggregates: AggregateRepository;
  verification: VerificationStore;
  vault: PersonalDataVault;
  checks: ContactChecks;
  fingerprints: ContactFingerprinter;
  maxLeadAgeDays: number;
  log?: (message: string) => void;
}

type Rejection = { line: number; reasons: RejectionReason[] };

/** What rows are verified and listed under: a batch's terms, or a posted lead's. */
export interface ListingRun extends Pick<
  BatchProgress,
  | 'batchId'
  | 'sellerId'
  | 'terms'
  | 'submittedAt'
  | 'dedupeWindowDays'
  | 'sellerHistory'
  | 'consentMaxAgeDays'
> {
  /** The lead id of the row at `line`. */
  leadIdOf: (line: number) => string;
  /** Set for a lead posted alone: recorded on its LeadListed, so that the engine answers it. */
  posted?: { pingId?: string };
}

/**
 * Verifies a submitted batch one staged chunk at a time, behind a durable cursor. Every write of
 * a chunk is idempotent (lead ids and event ids derive from the batch and the line, fingerprint
 * claims name their lead), so a worker killed anywhere re-does at most one chunk with the same
 * outcome: each accepted row is listed once, each rejected row reported once.
 */
export class VerifyBatch {
  constructor(private readonly deps: VerifyBatchDeps) {}

  async run(batchId: string, onProgress?: (progress: BatchProgress) => Promise<void>): Promise<void> {
    const { verification } = this.deps;
    let progress = await verification.progress(batchId);
    if (!progress || progress.status === 'receiving') return;
    if (progress.status === 'verifying') {
      while (progress.nextChunk < progress.chunkCount) {
        const chunk = progress.nextChunk;
        const sealed = await verification.stagedChunk(batchId, chunk);
        if (!sealed) throw new Error(`batch ${batchId}: staged chunk ${chunk} is missing`);
        const envelope = JSON.parse(sealed.toString('utf8')) as SealedEnvelope;
        const rows = (await this.deps.vault.openMany<NumberedRecord[]>([envelope]))[0];
        if (!rows) throw new Error(`batch ${batchId}: the staging key was erased`);
        const outcome = await this.verifyChunk(progress, chunk, rows);
        await verification.completeChunk(batchId, chunk, outcome);
        progress = (await verification.progress(batchId))!;
        await onProgress?.(progress);
      }
      await this.deps.aggregates.handle(
        `batch-${batchId}`,
        batchDecider,
        {
          type: 'CompleteVerification',
          verified: {
            batchId,
            sellerId: progress.sellerId,
            accepted: progress.accepted,
            rejected: progress.rejected,
            reasons: progress.reasons as Record<string, number>,
          },
        },
        { metadata: { actor: 'system', occurredAt: new Date().toISOString() } },
      );
      await verification.markVerified(batchId);
    }
    // The staged rows hold personal data in the clear once unsealed: their key goes with them.
    await verification.dropStagedChunks(batchId);
    await this.deps.vault.erase([stagingKeyId(batchId)]);
  }

  private async verifyChunk(
    progress: BatchProgress,
    chunk: number,
    rows: NumberedRecord[],
  ): Promise<ChunkOutcome> {
    const { batchId, sellerId } = progress;
    const { rejections, listed } = await this.verifyAndList(
      { ...progress, leadIdOf: (line) => leadIdFor(batchId, line) },
      rows,
    );
    if (rejections.length > 0)
      await this.deps.store.appendToStream(
        `batch-${batchId}`,
        [
          {
            ...newEvent(LeadBatchRowsRejected, { batchId, sellerId, rows: rejections }, { actor: 'system' }),
            id: deterministicUuid('LeadBatchRowsRejected', batchId, chunk),
          },
        ],
        { expectedRevision: 'any' },
      );
    const reasons: Partial<Record<RejectionReason, number>> = {};
    for (const rejection of rejections)
      for (const reason of rejection.reasons) reasons[reason] = (reasons[reason] ?? 0) + 1;
    return { processed: rows.length, accepted: listed.length, rejected: rejections.length, reasons };
  }

  /**
   * Verifies rows and lists those that pass (docs/architecture.md §4): each row alone, then the
   * duplicates and the suppression list. The one path of a batch's chunk and of a lead posted alone
   * (POST /v1/leads, whose "batch" is the lead itself). Answers the rejections, by line, and the
   * leads listed with their ids; writing the rejections is the caller's.
   */
  async verifyAndList(
    run: ListingRun,
    rows: NumberedRecord[],
  ): Promise<{ rejections: Rejection[]; listed: { leadId: string; lead: VerifiedLead }[] }> {
    const { sellerId, terms, submittedAt } = run;
    const context = {
      now: submittedAt,
      vertical: terms.vertical,
      maxLeadAgeDays: this.deps.maxLeadAgeDays,
      consentMaxAgeDays: run.consentMaxAgeDays ?? null,
      sellerId,
      checks: this.deps.checks,
      fingerprints: this.deps.fingerprints,
    };
    const rejections: Rejection[] = [];
    const candidates: VerifiedLead[] = [];
    for (const row of rows) {
      const verdict: RowVerdict = verifyLeadRow(row, context);
      if (!verdict.accepted) rejections.push({ line: verdict.line, reasons: verdict.reasons });
      else if (!fitsTheCatalogue(verdict.lead))
        rejections.push({ line: verdict.lead.line, reasons: ['invalid_value'] });
      else candidates.push(verdict.lead);
    }

    // Checks look a contact up under every fingerprint key held, so a rotation loses no suppression
    // or claim: computed once per lead, for the dedupe and again for the listing.
    const lookedUp = new Map(candidates.map((lead) => [lead, this.underEveryKey(lead)]));
    const claimed = await this.dedupe(run, candidates, lookedUp, rejections);
    const listed = await this.list(run, claimed, lookedUp, rejections);
    rejections.sort((a, b) => a.line - b.line);
    return { rejections, listed: listed.map((lead) => ({ leadId: run.leadIdOf(lead.line), lead })) };
  }

  /** Within the batch and across the exchange inside the market's window, and the suppression list. */
  private async dedupe(
    progress: ListingRun,
    candidates: VerifiedLead[],
    lookedUp: ReadonlyMap<VerifiedLead, string[]>,
    rejections: Rejection[],
  ): Promise<VerifiedLead[]> {
    const { batchId, terms, submittedAt, dedupeWindowDays } = progress;
    const all = [...new Set([...lookedUp.values()].flat())];
    const accepted: VerifiedLead[] = [];
    await this.deps.verification.claimFingerprints(
      terms.vertical,
      all,
      new Date(submittedAt.getTime() - dedupeWindowDays * 86_400_000),
      (holders, suppressed) => {
        accepted.length = 0;
        const claims: FingerprintClaim[] = [];
        const claimedHere = new Map<string, string>();
        for (const lead of candidates) {
          const leadId = progress.leadIdOf(lead.line);
          const reasons = new Set<RejectionReason>();
          for (const fingerprint of lookedUp.get(lead)!) {
            if (suppressed.has(fingerprint)) reasons.add('suppressed');
            const holder = holders.get(fingerprint);
            if (claimedHere.has(fingerprint)) reasons.add('duplicate_in_batch');
            else if (holder && holder.leadId !== leadId)
              reasons.add(holder.batchId === batchId ? 'duplicate_in_batch' : 'duplicate_on_exchange');
          }
          if (reasons.size > 0) {
            rejections.push({ line: lead.line, reasons: [...reasons].sort() });
            continue;
          }
          accepted.push(lead);
          for (const fingerprint of fingerprintsOf(lead)) {
            claimedHere.set(fingerprint, leadId);
            claims.push({ fingerprint, leadId, batchId });
          }
        }
        return claims;
      },
      submittedAt,
    );
    return accepted;
  }

  /** The lead's contacts under every fingerprint key held (the current key's were made by verifyLeadRow). */
  private underEveryKey(lead: VerifiedLead): string[] {
    const { phone, email } = lead.personalData;
    const { fingerprints } = this.deps;
    return [
      ...(lead.fingerprints.phone && phone ? fingerprints.phonesGiven(lead.fingerprints.phone, phone) : []),
      ...(lead.fingerprints.email && email ? fingerprints.emailsGiven(lead.fingerprints.email, email) : []),
    ];
  }

  /**
   * Lists the leads, each checked against the suppression list and the do-not-contact lists as it
   * is written: a person whose consent was revoked, or who was put on a list, after the dedupe
   * step is refused here (and their new key destroyed). Returns the leads listed.
   */
  private async list(
    progress: ListingRun,
    leads: VerifiedLead[],
    lookedUp: ReadonlyMap<VerifiedLead, string[]>,
    rejections: Rejection[],
  ): Promise<VerifiedLead[]> {
    const { batchId, sellerId, terms, submittedAt, sellerHistory } = progress;
    const leadIds = leads.map((lead) => progress.leadIdOf(lead.line));
    const keys = await this.deps.vault.obtainKeys(leadIds);
    const listings = leads.map((lead, index) => {
      const leadId = leadIds[index]!;
      const data: EventInput<typeof LeadListed> = {
        leadId,
        sellerId,
        batchId,
        attributes: lead.attributes,
        floor: terms.floor,
        currency: terms.currency,
        exclusivity: terms.exclusivity,
        expiresAt: expiresAt(terms, submittedAt),
        quality: scoreLead(lead, sellerHistory, submittedAt, this.deps.maxLeadAgeDays),
        fingerprints: lead.fingerprints,
        consent: lead.consent,
        personalData: this.deps.vault.seal(keys.get(leadId)!, lead.personalData),
        ...(progress.posted ? { posted: progress.posted } : {}),
      };
      return { lead, leadId, data };
    });
    const listed: VerifiedLead[] = [];
    // Many lead streams per round trip and per commit; deterministic event ids make a resumed
    // chunk's re-append idempotent.
    const perAppend = 1000;
    for (let from = 0; from < listings.length; from += perAppend) {
      const slice = listings.slice(from, from + perAppend);
      const sliceFingerprints = slice.flatMap(({ lead }) => lookedUp.get(lead)!);
      const { allowed, refused } = await this.deps.verification.listUnlessRefused(
        { vertical: terms.vertical, fingerprints: sliceFingerprints, at: submittedAt },
        ({ suppressed, doNotContact }) => {
          const reasonsAgainst = ({ lead }: (typeof slice)[number]): RejectionReason[] => {
            const fingerprints = lookedUp.get(lead)!;
            const reasons: RejectionReason[] = [];
            if (fingerprints.some((fingerprint) => doNotContact.has(fingerprint)))
              reasons.push('do_not_contact');
            if (fingerprints.some((fingerprint) => suppressed.has(fingerprint))) reasons.push('suppressed');
            return reasons;
          };
          const judged = slice.map((listing) => ({ ...listing, reasons: reasonsAgainst(listing) }));
          const allowed = judged.filter(({ reasons }) => reasons.length === 0);
          return {
            writes: allowed.map(({ leadId, data }) => ({
              stream: `lead-${leadId}`,
              events: [
                {
                  ...newEvent(LeadListed, data, {
                    actor: sellerId,
                    correlationId: batchId,
                    ...(progress.posted ? { occurredAt: submittedAt.toISOString() } : {}),
                  }),
                  id: deterministicUuid('LeadListed', leadId),
                },
              ],
              expectedRevision: 'any' as const,
            })),
            result: { allowed, refused: judged.filter(({ reasons }) => reasons.length > 0) },
          };
        },
      );
      listed.push(...allowed.map(({ lead }) => lead));
      if (refused.length === 0) continue;
      await this.deps.vault.erase(refused.map(({ leadId }) => leadId));
      await this.deps.verification.releaseClaims(refused.map(({ leadId }) => leadId));
      for (const { lead, reasons } of refused) rejections.push({ line: lead.line, reasons });
    }
    return listed;
  }
}

const fingerprintsOf = (lead: VerifiedLead) =>
  [lead.fingerprints.phone, lead.fingerprints.email].filter((fp): fp is string => fp !== undefined);

/** A last check against the event schema, so one odd row is refused instead of failing its chunk. */
function fitsTheCatalogue(lead: VerifiedLead): boolean {
  return LeadAttributes.safeParse(lead.attributes).success && ConsentRecord.safeParse(lead.consent).success;
}
