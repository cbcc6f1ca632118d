import { DomainError } from '#lx/event-sourcing';

export class ReturnNotFoundError extends DomainError {
  readonly code = 'return-not-found';
  constructor(allocationId: string) {
    super(`No return was requested for allocation ${allocationId}`, { allocationId });
  }
}

/** A return is decided once: a second decision is a conflict (409). */
export class ReturnDecisionExistsError extends DomainError {
  readonly code = 'return-decision-exists';
  constructor(allocationId: string, status: string) {
    super(`The return of allocation ${allocationId} is already ${status}`, { allocationId, status });
  }
}

export class ReturnNotEscalatedError extends DomainError {
  readonly code = 'return-not-escalated';
  constructor(allocationId: string) {
    super(`The return of allocation ${allocationId} has not been escalated to an auditor`, { allocationId });
  }
}
