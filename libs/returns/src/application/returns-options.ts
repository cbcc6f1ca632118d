/** Settings of the returns process, from the configuration (LX_*). */
export interface ReturnsOptions {
  /** Used when a market has published no settings (DESIGN §6: 72 h). */
  defaultReturnWindowHours: number;
  defaultDedupeWindowDays: number;
  /** Rolling window of the return cap. */
  returnCapWindowDays: number;
  /** Replaces every market's window, so tests and demos can close windows in seconds. */
  returnWindowMsOverride?: number | undefined;
}

export const RETURNS_OPTIONS = Symbol('RETURNS_OPTIONS');
