import { z } from 'zod';

/* What the market-settings routes answer. */

export const MarketSettingsAnswer = z.strictObject({
  vertical: z.string(),
  currency: z.string().nullable().describe('Null until an operator sets it'),
  commissionBps: z.int().describe('Commission in basis points of the price (1500 = 15 %)'),
  returnWindowHours: z.int(),
  dedupeWindowDays: z.int(),
  listingLifetimeHours: z.int(),
  returnCapPercent: z.int().optional(),
  configured: z.boolean().describe('False: nothing was published; these are the defaults'),
  revision: z.int().nullable(),
});
