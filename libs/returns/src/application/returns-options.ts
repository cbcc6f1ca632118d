/** Settings of the returns process, from the configuration (LX_*). */
export interface ReturnsOptions {
  /**
   * The dedupe window of a market that published no settings (LX_DEFAULT_DEDUPE_WINDOW_DAYS). The
   * other defaults, the 72-hour return window among them, are the catalogue's MARKET_SETTINGS_DEFAULTS.
   */
  defaultDedupeWindowDays: number;
  /** Rolling window of the return cap. */
  returnCapWindowDays: number;
  /** Replaces every market's window, so tests and demos can close windows in seconds. */
  returnWindowMsOverride?: number | undefined;
  /** How long a seller has to answer a return before it is escalated unanswered (default 48 h). */
  sellerResponseHours?: number | undefined;
  /** Replaces `sellerResponseHours` in milliseconds, for tests and demos. */
  sellerResponseMsOverride?: number | undefined;
  /** How long an auditor has to decide an escalated return (default 72 h): the queue's deadline. */
  disputeDecisionHours?: number | undefined;
}

/** The time a seller has to answer a return, in milliseconds. */
export const sellerResponseMs = (options: ReturnsOptions): number =>
  options.sellerResponseMsOverride ?? (options.sellerResponseHours ?? 48) * 3_600_000;

/** When an escalated return should be decided by: its escalation plus the auditors' time. */
export const decideBy = (escalatedAt: string, options: ReturnsOptions): string =>
  new Date(Date.parse(escalatedAt) + (options.disputeDecisionHours ?? 72) * 3_600_000).toISOString();

export const RETURNS_OPTIONS = Symbol('RETURNS_OPTIONS');
