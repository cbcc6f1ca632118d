import { DomainError } from '#lx/event-sourcing';

export class AuthenticityTaskNotFound extends DomainError {
  readonly code = 'authenticity-task-not-found';
  constructor(leadId: string, batchId?: string) {
    super(
      batchId === undefined
        ? `Lead ${leadId} has no authenticity check`
        : `Lead ${leadId} was not drawn in the authenticity sample of batch ${batchId}`,
      batchId === undefined ? { leadId } : { leadId, batchId },
    );
  }
}

export class AuthenticityCheckAlreadyAnswered extends DomainError {
  readonly code = 'authenticity-check-answered';
  constructor(leadId: string, outcome: string) {
    super(`The check of lead ${leadId} was already answered (${outcome}); an answer is final`, {
      leadId,
      outcome,
    });
  }
}

export class AuthenticitySampleNotFound extends DomainError {
  readonly code = 'authenticity-sample-not-found';
  constructor(batchId: string) {
    super(`Batch ${batchId} has no authenticity sample`, { batchId });
  }
}

export class AuthenticityNotHeld extends DomainError {
  readonly code = 'authenticity-not-held';
  constructor(batchId: string, status: string) {
    super(`Batch ${batchId} is not held (its sample is ${status}); only a held batch is decided`, {
      batchId,
      status,
    });
  }
}

export class AuthenticitySourceNotFound extends DomainError {
  readonly code = 'authenticity-source-not-found';
  constructor(sourceId: string) {
    super(`Source ${sourceId} has no authenticity checks`, { sourceId });
  }
}

export class AuthenticitySourceNotHeld extends DomainError {
  readonly code = 'authenticity-source-not-held';
  constructor(sourceId: string, status: string) {
    super(`Source ${sourceId} is not held (its record is ${status}); only a held source is decided`, {
      sourceId,
      status,
    });
  }
}
