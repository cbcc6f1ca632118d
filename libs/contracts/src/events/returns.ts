import { z } from 'zod';
import { defineEvent, type CatalogueEvent } from '../define-event.js';
import { EntityId, Instant, Text } from '../value-types.js';
import { LeadText } from './leads.js';
import { SaleParties } from './market.js';

/** Stream `return-<allocationId>`: at most one return per allocation, written by all four roles. */
const categories = ['return'];

export const ReturnReason = z.enum([
  'invalid_phone',
  'invalid_email',
  'duplicate',
  'fake_or_fraud',
  'no_consent',
  'filter_mismatch',
  'other',
]);

/**
 * Points to the proof (a call log, a bounce, a document). Its texts naturally quote the person's
 * phone or e-mail, so they are sealed under the lead's key (clear in events of schema version 1).
 */
export const Evidence = z.strictObject({
  kind: z.enum(['call_log', 'email_bounce', 'carrier_lookup', 'document', 'note']),
  description: LeadText(2000),
  reference: LeadText(500).optional(),
});

/** Rules the log can prove are applied automatically; the rest are decisions by people. */
export const ReturnRule = z.enum([
  'duplicate-of-earlier-purchase',
  'filter-mismatch-by-replay',
  'return-window-elapsed',
  'over-return-cap',
  'seller-accepted',
  'auditor-decision',
  /** A reason that is not grounds for a return, e.g. `other` with "not interested". */
  'reason-not-returnable',
]);

export type ReturnRule = z.infer<typeof ReturnRule>;

/** One automatic rule checked on a return, and what it found (no personal data: times and counts). */
export const RuleCheck = z.strictObject({
  rule: ReturnRule,
  /** `passed`: the rule holds and does not decide the return; `not-applicable`: nothing to check. */
  outcome: z.enum(['passed', 'not-applicable']),
  detail: Text(2000),
});

export const ReturnRequested = defineEvent({
  type: 'ReturnRequested',
  // 2: evidence texts sealed under the lead's key.
  schemaVersion: 2,
  categories,
  schema: z
    .strictObject({
      ...SaleParties,
      reason: ReturnReason,
      /** Required for `other`, so that reasons such as "not interested" can be judged and refused. */
      text: Text(2000).optional(),
      evidence: z.array(Evidence).max(20),
      /** The buyer asks for a replacement lead if the return is accepted. */
      replace: z.boolean().optional(),
    })
    .refine((request) => request.reason !== 'other' || request.text !== undefined, {
      path: ['text'],
      message: 'is required when the reason is other',
    }),
});

export const SellerResponded = defineEvent({
  type: 'SellerResponded',
  // 2: the statement and evidence texts sealed under the lead's key.
  schemaVersion: 2,
  categories,
  schema: z.strictObject({
    allocationId: EntityId,
    sellerId: EntityId,
    position: z.enum(['accept', 'contest']),
    statement: LeadText(4000),
    evidence: z.array(Evidence).max(20),
  }),
});

const Decision = {
  allocationId: EntityId,
  /** A participant id, or `system` when an automatic rule decided. */
  decidedBy: EntityId,
  rule: ReturnRule,
  rationale: Text(4000),
};

export const ReturnAccepted = defineEvent({
  type: 'ReturnAccepted',
  schemaVersion: 1,
  categories,
  // `replace` restores one unit of the order's quantity so the engine can buy another lead.
  schema: z.strictObject({ ...Decision, replace: z.boolean().optional() }),
});

export const ReturnRejected = defineEvent({
  type: 'ReturnRejected',
  schemaVersion: 1,
  categories,
  schema: z.strictObject(Decision),
});

/**
 * The automatic rules could not decide the return: each rule checked and what it found, so that
 * an auditor sees which rules were already applied. The return waits for the seller's answer.
 */
export const ReturnChecked = defineEvent({
  type: 'ReturnChecked',
  schemaVersion: 1,
  categories,
  schema: z.strictObject({
    allocationId: EntityId,
    checks: z.array(RuleCheck).min(1).max(20),
    rationale: Text(2000),
  }),
});

/** Handed to an auditor: the log alone cannot decide it. */
export const ReturnEscalated = defineEvent({
  type: 'ReturnEscalated',
  schemaVersion: 1,
  categories,
  schema: z.strictObject({ allocationId: EntityId, escalatedBy: EntityId, reason: Text(2000) }),
});

/**
 * The return window of the allocation closed with no return open or accepted. Written on the
 * return stream so that it and a decision are ordered by one stream's optimistic concurrency:
 * after it no return can be accepted, and the allocation's transfer is posted.
 */
export const ReturnWindowClosed = defineEvent({
  type: 'ReturnWindowClosed',
  schemaVersion: 1,
  categories,
  schema: z.strictObject({ allocationId: EntityId, closedAt: Instant }),
});

export const returnEvents = [
  ReturnRequested,
  ReturnChecked,
  SellerResponded,
  ReturnAccepted,
  ReturnRejected,
  ReturnEscalated,
  ReturnWindowClosed,
] as const;

/** Every event of a `return-<allocationId>` stream, whichever role wrote it: the one union its folds read. */
export type ReturnStreamEvent = CatalogueEvent<(typeof returnEvents)[number]>;
