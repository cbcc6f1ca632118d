import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { AuthenticityOutcome } from '#lx/contracts';
import { AggregateRepository } from '#lx/event-sourcing';
import { authenticitySampleDecider, type AuthenticityEvent } from '../domain/authenticity-sample.decider.js';
import { AuthenticityTaskNotFound } from '../domain/errors.js';
import { AuthenticityReads } from './authenticity-reads.port.js';
import { authenticityStream } from './authenticity-sampler.js';
import { LeadContacts } from './lead-contacts.port.js';

/** The events a command appended (the answer, and the hold or pass it caused). */
export type AuthenticityEvents = AuthenticityEvent[];

/**
 * A contact check answered, by an operator's verification staff or a provider's adapter: the
 * evidence is sealed under the lead's key before it reaches the log.
 */
export class AnswerAuthenticityCheck extends Command<AuthenticityEvents> {
  constructor(
    readonly leadId: string,
    readonly outcome: AuthenticityOutcome,
    readonly evidence: string,
    readonly answeredBy: { kind: 'staff' | 'provider'; id: string },
  ) {
    super();
  }
}

/** An operator releases a held batch back to sale, or withdraws it from the market. */
export class DecideAuthenticityHold extends Command<AuthenticityEvents> {
  constructor(
    readonly batchId: string,
    readonly decision: 'released' | 'withdrawn',
    readonly operatorId: string,
    readonly note: string,
  ) {
    super();
  }
}

@CommandHandler(AnswerAuthenticityCheck)
export class AnswerAuthenticityCheckHandler implements ICommandHandler<AnswerAuthenticityCheck> {
  constructor(
    private readonly repository: AggregateRepository,
    @Inject(AuthenticityReads) private readonly reads: AuthenticityReads,
    @Inject(LeadContacts) private readonly contacts: LeadContacts,
  ) {}

  async execute({
    leadId,
    outcome,
    evidence,
    answeredBy,
  }: AnswerAuthenticityCheck): Promise<AuthenticityEvents> {
    const task = await this.reads.task(leadId);
    if (!task) throw new AuthenticityTaskNotFound(leadId);
    const sealed = await this.contacts.sealEvidence(leadId, evidence);
    const { events } = await this.repository.handle(
      authenticityStream(task.batchId),
      authenticitySampleDecider,
      {
        type: 'AnswerCheck',
        answer: { batchId: task.batchId, leadId, outcome, evidence: sealed, answeredBy },
      },
      { metadata: { actor: answeredBy.id, correlationId: task.batchId } },
    );
    return events;
  }
}

@CommandHandler(DecideAuthenticityHold)
export class DecideAuthenticityHoldHandler implements ICommandHandler<DecideAuthenticityHold> {
  constructor(private readonly repository: AggregateRepository) {}

  async execute({
    batchId,
    decision,
    operatorId,
    note,
  }: DecideAuthenticityHold): Promise<AuthenticityEvents> {
    // A batch without a sample has an empty stream: the decider refuses it (not found).
    const { events } = await this.repository.handle(
      authenticityStream(batchId),
      authenticitySampleDecider,
      { type: 'DecideHold', batchId, decision, operatorId, note },
      { metadata: { actor: operatorId, correlationId: batchId } },
    );
    return events;
  }
}

export const authenticityCommandHandlers = [AnswerAuthenticityCheckHandler, DecideAuthenticityHoldHandler];
