import { CodedError, formatPosition, type LogPosition } from '#lx/event-store';

/** Base of the projections' expected failures. */
export abstract class ProjectionError extends CodedError {}

/**
 * The stored checkpoint is not where this runner left it: another process applied the event, or
 * a rebuild swapped its schema in. The transaction is rolled back; the runner resumes from the store.
 */
export class CheckpointMovedError extends ProjectionError {
  readonly code = 'projection-checkpoint-moved';
  constructor(
    readonly schema: string,
    readonly expected: LogPosition | null,
  ) {
    super(`Checkpoint of ${schema} is no longer at ${expected ? formatPosition(expected) : 'the start'}`);
  }
}

/** The stored read model was built by another version of the projection: rebuild it. */
export class ProjectionVersionMismatchError extends ProjectionError {
  readonly code = 'projection-version-mismatch';
  constructor(
    readonly schema: string,
    readonly stored: number,
    readonly expected: number,
  ) {
    super(
      `${schema} holds version ${stored} of its projection, this code is version ${expected}: rebuild it`,
    );
  }
}

export class RebuildInProgressError extends ProjectionError {
  readonly code = 'projection-rebuild-in-progress';
  constructor(readonly projection: string) {
    super(`A rebuild of projection "${projection}" is already running`);
  }
}
