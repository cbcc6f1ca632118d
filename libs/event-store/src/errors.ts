import type { ExpectedRevision } from './event-store.port.js';

/**
 * An expected failure with a stable `code` for callers, named after its class. The event store's
 * and the projections' failures share it; each library's own base marks whose failure it is.
 */
export abstract class CodedError extends Error {
  abstract readonly code: string;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Base of every expected failure of the event store: typed, never a bare string. */
export abstract class EventStoreError extends CodedError {}

export class WrongExpectedVersionError extends EventStoreError {
  readonly code = 'wrong-expected-version';
  constructor(
    readonly stream: string,
    readonly expected: ExpectedRevision,
    readonly actual: number | 'no_stream',
  ) {
    super(`Stream "${stream}": expected ${String(expected)}, actual ${String(actual)}`);
  }
}

export class InvalidStreamNameError extends EventStoreError {
  readonly code = 'invalid-stream-name';
  constructor(readonly stream: string) {
    super(`Invalid stream name "${stream.slice(0, 120)}": expected <category>-<id>, e.g. "lead-6f1c…"`);
  }
}

export class UnknownEventTypeError extends EventStoreError {
  readonly code = 'unknown-event-type';
  constructor(readonly eventType: string) {
    super(`Unknown event type "${eventType.slice(0, 120)}": it is not in the event catalogue`);
  }
}

export class EventSchemaError extends EventStoreError {
  readonly code = 'event-schema-violation';
  constructor(
    readonly eventType: string,
    readonly issues: readonly string[],
  ) {
    super(`Event "${eventType}" does not fit its schema: ${issues.join('; ')}`);
  }
}

export class EventStreamMismatchError extends EventStoreError {
  readonly code = 'event-stream-mismatch';
  constructor(
    readonly eventType: string,
    readonly stream: string,
    readonly allowed: readonly string[],
  ) {
    super(
      `Event "${eventType}" cannot be appended to "${stream}" (allowed categories: ${allowed.join(', ')})`,
    );
  }
}

export class EventTooLargeError extends EventStoreError {
  readonly code = 'event-too-large';
  constructor(
    readonly eventType: string,
    readonly size: number,
    readonly limit: number,
  ) {
    super(`Event "${eventType}" is ${size} bytes, over the limit of ${limit} bytes`);
  }
}

export class InvalidEventError extends EventStoreError {
  readonly code = 'invalid-event';
}

export class DuplicateEventIdError extends EventStoreError {
  readonly code = 'duplicate-event-id';
  constructor(readonly eventIds: readonly string[]) {
    super(
      `Event id(s) ${eventIds.slice(0, 3).join(', ')} already exist outside this append ` +
        '(an idempotent retry must resend the same events to the same stream)',
    );
  }
}
