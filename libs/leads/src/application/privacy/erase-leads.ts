import type { AggregateRepository } from '#lx/event-sourcing';
import type { PersonalDataVault } from '#lx/vault';
import { LeadNotFound } from '../../domain/errors.js';
import { leadDecider, type ErasureReason } from '../../domain/lead.decider.js';
import type { VerificationStore } from '../verification/verification-store.port.js';

export interface EraseLeadsDeps {
  aggregates: AggregateRepository;
  verification: VerificationStore;
  vault: PersonalDataVault;
  /** Leads of the read model listed with any of the fingerprints (the projection may lag the log). */
  listedWithFingerprints: (fingerprints: string[]) => Promise<string[]>;
}

/**
 * The two ways a person's data is erased: one lead (the seller, on the person's request) or every
 * lead of a person (the operator, on a revocation of consent). The key goes first: should the
 * append fail, the data is already unreadable and a retry appends; the start-up re-erasure reads
 * the appended LeadErased, so a restored key store cannot bring the data back.
 */
export class EraseLeads {
  constructor(private readonly deps: EraseLeadsDeps) {}

  /** Erases one lead; `sellerId` must be the lead's seller. */
  async eraseLead(leadId: string, keyId: string, sellerId: string, actor: string): Promise<void> {
    await this.deps.vault.erase([keyId]);
    await this.deps.verification.releaseClaims([leadId]);
    await this.deps.aggregates.handle(
      `lead-${leadId}`,
      leadDecider,
      { type: 'EraseLead', leadId, sellerId, reason: 'data_subject_request' },
      { metadata: { actor } },
    );
  }

  /**
   * Suppresses the person (`fingerprints`: under the current key), then erases every lead of theirs. Adding the suppression waits for the
   * listings being written, so a lead of a batch under verification is either refused as it is
   * listed or already claimed its fingerprints, and is found here though no read model shows it
   * yet. Returns the leads erased.
   */
  async revokeConsent(fingerprints: string[], underEveryKey: string[], actor: string): Promise<string[]> {
    await this.deps.verification.suppress(fingerprints, 'consent_revoked');
    // Leads fingerprinted under an earlier fingerprint key are the person's too.
    const candidates = [
      ...new Set([
        ...(await this.deps.listedWithFingerprints(underEveryKey)),
        ...(await this.deps.verification.leadsClaiming(underEveryKey)),
      ]),
    ].sort();
    await this.deps.vault.erase(candidates);
    await this.deps.verification.releaseClaims(candidates);
    const erased: string[] = [];
    for (const leadId of candidates) {
      const reason: ErasureReason = 'consent_revoked';
      try {
        await this.deps.aggregates.handle(
          `lead-${leadId}`,
          leadDecider,
          { type: 'EraseLead', leadId, sellerId: null, reason },
          { metadata: { actor } },
        );
        erased.push(leadId);
      } catch (error) {
        // A claim whose listing was refused as suppressed: there is no lead to erase.
        if (!(error instanceof LeadNotFound)) throw error;
      }
    }
    return erased;
  }
}
