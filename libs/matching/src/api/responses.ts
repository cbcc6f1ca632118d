import { z } from 'zod';
import { IsoInstant } from '#lx/http';

/* What the market-settings routes answer. */

/** The settings a market may leave unset, as every answer shows them. */
const optionalSettings = {
  returnCapPercent: z.int().optional(),
  authenticitySamplePercent: z
    .int()
    .optional()
    .describe('Share of each batch drawn for a contact check; absent or 0: no sampling'),
  authenticitySourceSamplePercent: z
    .int()
    .optional()
    .describe(
      "Share of each seller's source drawn for a contact check after its first leads; absent or 0: none",
    ),
  authenticitySampleMin: z
    .int()
    .optional()
    .describe("The fewest leads a batch's sample draws, and a source's first leads drawn (default 3)"),
  authenticityHoldPercent: z
    .int()
    .optional()
    .describe('Failures above this share of a sample hold the rest of the batch (default 20)'),
  consentMaxAgeDays: z
    .int()
    .optional()
    .describe('Oldest consent accepted at verification, in days; absent: no limit'),
  pingTtlSeconds: z.int().optional().describe("How long a ping's price stands (unset: 10 s)"),
};

export const MarketSettingsAnswer = z.strictObject({
  vertical: z.string(),
  currency: z.string().nullable().describe('Null until an operator sets it'),
  commissionBps: z.int().describe('Commission in basis points of the price (1500 = 15 %)'),
  returnWindowHours: z.int(),
  dedupeWindowDays: z.int(),
  listingLifetimeHours: z.int(),
  ...optionalSettings,
  configured: z.boolean().describe('False: nothing was published; these are the defaults'),
  revision: z.int().nullable(),
});

const PublishedSettingsAnswer = z.strictObject({
  vertical: z.string(),
  currency: z.string(),
  commissionBps: z.int(),
  returnWindowHours: z.int(),
  dedupeWindowDays: z.int(),
  listingLifetimeHours: z.int(),
  ...optionalSettings,
  revision: z.int().describe('The revision of the market’s settings stream'),
  changedAt: IsoInstant,
});

export const MarketsAnswer = z.strictObject({
  items: z.array(PublishedSettingsAnswer).describe('By vertical; only markets with published settings'),
});

export const MarketSettingsHistoryAnswer = z.strictObject({
  items: z.array(
    PublishedSettingsAnswer.extend({
      changedBy: z.string().nullable().describe('The id of the operator who published them'),
    }),
  ),
});
