import type { AuthenticityOutcome } from '#lx/contracts';
import type { LogPosition } from '#lx/event-store';

/** A drawn lead's contact check as the read model holds it. */
export interface AuthenticityTaskRow {
  batchId: string;
  leadId: string;
  sellerId: string;
  vertical: string;
  /** Its place in the batch's draw (1 = ranked first). */
  rank: number;
  outcome: AuthenticityOutcome | null;
  answeredBy: { kind: 'staff' | 'provider'; id: string } | null;
  answeredAt: string | null;
  /** The lead's quality score as listed, and as the check leaves it (§4.1). */
  qualityListed: number | null;
  qualityChecked: number | null;
  /** Log position of the draw: open tasks are served oldest draw first. */
  position: { commit: string; prepare: string };
}

export interface AuthenticitySampleRow {
  batchId: string;
  sellerId: string;
  vertical: string;
  status: 'sampling' | 'held' | 'passed' | 'released' | 'withdrawn';
  population: number;
  sampled: number;
  answered: number;
  confirmed: number;
  failed: number;
  holdThresholdPercent: number;
  drawnAt: string;
  decidedBy: string | null;
  decisionNote: string | null;
}

export interface SamplingSettingsRow {
  samplePercent: number;
  sampleMin: number;
  holdPercent: number;
}

/** Port: the authenticity read model (`rm_authenticity`). */
export abstract class AuthenticityReads {
  /** Resolves once the read model has applied the log up to `position`. */
  abstract waitFor(position: LogPosition): Promise<void>;
  /** The market's sampling settings as the read model has them (null: it never sampled). */
  abstract samplingSettings(vertical: string): Promise<SamplingSettingsRow | null>;
  /** The leads of a batch kept for drawing (only batches of markets that sample). */
  abstract batchLeads(batchId: string): Promise<{ leadId: string; sellerId: string; vertical: string }[]>;
  abstract openTasks(
    limit: number,
    after: { commit: string; prepare: string; rank: number } | null,
  ): Promise<{ items: AuthenticityTaskRow[]; hasMore: boolean }>;
  abstract task(leadId: string): Promise<AuthenticityTaskRow | null>;
  abstract sample(
    batchId: string,
  ): Promise<{ sample: AuthenticitySampleRow; tasks: AuthenticityTaskRow[] } | null>;
  abstract samples(status: AuthenticitySampleRow['status'], limit: number): Promise<AuthenticitySampleRow[]>;
}
