import { marketSettingsInForce, type MarketSettingsData } from '#lx/contracts';

/*
 * The market's terms a return is judged under: those in force when the lead was allocated
 * (docs/architecture.md §6). Pure: the caller reads the market's last settings before the allocation.
 */

/** The fields of `MarketSettingsChanged` that returns read. */
export type PublishedReturnTerms = Pick<
  MarketSettingsData,
  'returnWindowHours' | 'dedupeWindowDays' | 'returnCapPercent'
>;

export interface ReturnTerms {
  returnWindowMs: number;
  dedupeWindowDays: number;
  /** Null when the market sets no cap. */
  returnCapPercent: number | null;
}

/** What the configuration changes in the terms (the settlement app's LX_* settings). */
export interface ReturnTermsConfiguration {
  /** The dedupe window of a market that published no settings (LX_DEFAULT_DEDUPE_WINDOW_DAYS). */
  defaultDedupeWindowDays: number;
  /** Replaces every market's window, so tests and demos can close windows in seconds. */
  returnWindowMsOverride?: number | undefined;
}

/** The terms in force, from the market's last settings before the allocation (null: none yet). */
export function returnTermsInForce(
  lastPublished: PublishedReturnTerms | null,
  configuration: ReturnTermsConfiguration,
): ReturnTerms {
  const settings = marketSettingsInForce(lastPublished, {
    dedupeWindowDays: configuration.defaultDedupeWindowDays,
  });
  return {
    returnWindowMs: configuration.returnWindowMsOverride ?? settings.returnWindowHours * 3_600_000,
    dedupeWindowDays: settings.dedupeWindowDays,
    returnCapPercent: settings.returnCapPercent,
  };
}

/** When an allocation's return window closes. */
export const windowEndsAt = (allocatedAt: string, terms: ReturnTerms): string =>
  new Date(Date.parse(allocatedAt) + terms.returnWindowMs).toISOString();
