import { DomainError } from '#lx/event-sourcing';

export class BatchNotFound extends DomainError {
  readonly code = 'batch-not-found';
  constructor(batchId: string) {
    super(`Batch ${batchId} was not found`, { batchId });
  }
}

export class BatchStillVerifying extends DomainError {
  readonly code = 'batch-verifying-conflict';
  constructor(batchId: string) {
    super(`Batch ${batchId} is still being verified; withdraw it once verification has finished`, {
      batchId,
    });
  }
}

export class LeadNotFound extends DomainError {
  readonly code = 'lead-not-found';
  constructor(leadId: string) {
    super(`Lead ${leadId} was not found`, { leadId });
  }
}

export class LeadErasedError extends DomainError {
  readonly code = 'lead-erased';
  constructor(leadId: string) {
    super(`Lead ${leadId} was erased`, { leadId });
  }
}

export class ReturnNotFound extends DomainError {
  readonly code = 'return-not-found';
  constructor(allocationId: string) {
    super(`No return was requested for allocation ${allocationId}`, { allocationId });
  }
}

export class SellerResponseExists extends DomainError {
  readonly code = 'seller-response-exists';
  constructor(allocationId: string) {
    super(`The seller has already responded to the return of allocation ${allocationId}`, { allocationId });
  }
}

export class ReturnAlreadyDecided extends DomainError {
  readonly code = 'return-already-decided';
  constructor(allocationId: string) {
    super(`The return of allocation ${allocationId} has been decided`, { allocationId });
  }
}

export class DoNotContactListNotFound extends DomainError {
  readonly code = 'do-not-contact-list-not-found';
  constructor(listId: string) {
    super(`Do-not-contact list ${listId} was not found`, { listId });
  }
}

export class DoNotContactListExists extends DomainError {
  readonly code = 'do-not-contact-list-exists';
  constructor(listId: string) {
    super(`Do-not-contact list ${listId} exists already`, { listId });
  }
}

export class DoNotContactListClosed extends DomainError {
  readonly code = 'do-not-contact-list-closed';
  constructor(listId: string, why: 'ended' | 'expired') {
    super(`Do-not-contact list ${listId} has ${why}: entries can no longer be added to it`, { listId, why });
  }
}

export class DoNotContactListInvalid extends DomainError {
  readonly code = 'do-not-contact-list-invalid';
  constructor(message: string) {
    super(message);
  }
}
