/**
 * Base of every expected business failure thrown by `decide`: typed, with a stable `code` that the
 * HTTP layer maps to a problem+json type. Anything else escaping a decider is a bug.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;

  constructor(
    message: string,
    /** Facts that explain the refusal (ids, limits), safe to show to the caller. */
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}
