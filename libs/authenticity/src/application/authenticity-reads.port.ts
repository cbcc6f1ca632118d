import type { AuthenticityOutcome } from '#lx/contracts';
import type { LogPosition } from '#lx/event-store';

/** A drawn lead's contact check as the read model holds it. */
export interface AuthenticityTaskRow {
  batchId: string;
  leadId: string;
  sellerId: string;
  vertical: string;
  /** Its place in the draw that made the task (1 = first). */
  rank: number;
  /** Which samples drew it: its batch's, its source's, or both (one task, one answer for both). */
  drawnBy: ('batch' | 'source')[];
  /** The lead's source tag (null: untagged), and its source's record when the market samples sources. */
  source: string | null;
  sourceId: string | null;
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

export type SourceStatusRow = 'sampling' | 'verified' | 'held' | 'released' | 'withdrawn';

/** A seller's source in a market, as its checks judge it (§4.1, per source). */
export interface AuthenticitySourceRow {
  sourceId: string;
  vertical: string;
  sellerId: string;
  source: string | null;
  status: SourceStatusRow;
  /** The source's leads listed while the market samples sources, and how many were drawn. */
  listed: number;
  drawn: number;
  /** Checks answered since the last decision (since the first draw before one). */
  answered: number;
  confirmed: number;
  failed: number;
  holdThresholdPercent: number;
  holdMinAnswered: number;
  firstDrawnAt: string;
  decidedBy: string | null;
  decisionNote: string | null;
}

/** A lead kept for drawing: its batch, and its source's place and settings when the market samples sources. */
export interface SamplingLeadRow {
  leadId: string;
  batchId: string;
  sellerId: string;
  vertical: string;
  source: string | null;
  /** Null unless the market sampled sources when the lead was listed. */
  bySource: {
    sourceId: string;
    ordinal: number;
    samplePercent: number;
    sampleMin: number;
    holdThresholdPercent: number;
  } | null;
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
  /** The leads of a batch kept for drawing its sample (listed while its market sampled batches). */
  abstract batchLeads(batchId: string): Promise<{ leadId: string; sellerId: string; vertical: string }[]>;
  /** Those of the leads kept for drawing by source (listed while their market sampled sources). */
  abstract sourceLeads(
    where: { batchId: string } | { leadIds: readonly string[] },
  ): Promise<SamplingLeadRow[]>;
  abstract openTasks(
    limit: number,
    after: { commit: string; prepare: string; rank: number } | null,
  ): Promise<{ items: AuthenticityTaskRow[]; hasMore: boolean }>;
  abstract task(leadId: string): Promise<AuthenticityTaskRow | null>;
  abstract sample(
    batchId: string,
  ): Promise<{ sample: AuthenticitySampleRow; tasks: AuthenticityTaskRow[] } | null>;
  abstract samples(status: AuthenticitySampleRow['status'], limit: number): Promise<AuthenticitySampleRow[]>;
  abstract sourceRecord(
    sourceId: string,
  ): Promise<{ source: AuthenticitySourceRow; tasks: AuthenticityTaskRow[] } | null>;
  abstract sources(status: SourceStatusRow, limit: number): Promise<AuthenticitySourceRow[]>;
}
