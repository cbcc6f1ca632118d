import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { AuthenticityOutcome } from '#lx/contracts';
import { AggregateRepository } from '#lx/event-sourcing';
import { EVENT_STORE, type EventStore } from '#lx/event-store';
import { authenticitySampleDecider, type AuthenticityEvent } from '../domain/authenticity-sample.decider.js';
import {
  authenticitySourceDecider,
  type AuthenticitySourceEvent,
} from '../domain/authenticity-source.decider.js';
import { AuthenticityTaskNotFound } from '../domain/errors.js';
import { AuthenticityReads } from './authenticity-reads.port.js';
import { authenticitySourceStream, authenticityStream } from './authenticity-sampler.js';
import { decideTogether, onStream, type StreamDecision } from './decide-together.js';
import { LeadContacts } from './lead-contacts.port.js';

/** The events a command appended (the answer, and the holds, passes or verifications it caused). */
export type AuthenticityEvents = (AuthenticityEvent | AuthenticitySourceEvent)[];

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

/** An operator releases a held source back to sale, or withdraws its leads from the market. */
export class DecideAuthenticitySourceHold extends Command<AuthenticityEvents> {
  constructor(
    readonly sourceId: string,
    readonly decision: 'released' | 'withdrawn',
    readonly operatorId: string,
    readonly note: string,
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
    @Inject(EVENT_STORE) private readonly store: EventStore,
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
    const answer = { batchId: task.batchId, leadId, outcome, evidence: sealed, answeredBy };
    // One answer for every sample that drew the lead (§4.1): recorded on its batch's stream when
    // its batch drew it, else on its source's; counted by its source's record in both cases.
    const byBatch = task.drawnBy.includes('batch');
    const decisions: StreamDecision[] = [];
    if (byBatch)
      decisions.push(
        onStream(authenticityStream(task.batchId), authenticitySampleDecider, {
          type: 'AnswerCheck',
          answer,
        }),
      );
    if (task.sourceId !== null)
      decisions.push(
        onStream(authenticitySourceStream(task.sourceId), authenticitySourceDecider, {
          type: 'AnswerSourceCheck',
          answer,
          recordedOn: byBatch ? 'batch' : 'source',
        }),
      );
    if (decisions.length === 0) throw new AuthenticityTaskNotFound(leadId);
    const events = await decideTogether(this.repository, this.store, decisions, {
      actor: answeredBy.id,
      correlationId: task.batchId,
      occurredAt: new Date().toISOString(),
    });
    return events.flat() as AuthenticityEvents;
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

@CommandHandler(DecideAuthenticitySourceHold)
export class DecideAuthenticitySourceHoldHandler implements ICommandHandler<DecideAuthenticitySourceHold> {
  constructor(private readonly repository: AggregateRepository) {}

  async execute({
    sourceId,
    decision,
    operatorId,
    note,
  }: DecideAuthenticitySourceHold): Promise<AuthenticityEvents> {
    // A source never drawn has an empty stream: the decider refuses it (not found).
    const { events } = await this.repository.handle(
      authenticitySourceStream(sourceId),
      authenticitySourceDecider,
      { type: 'DecideSourceHold', sourceId, decision, operatorId, note },
      { metadata: { actor: operatorId, correlationId: sourceId } },
    );
    return events;
  }
}

export const authenticityCommandHandlers = [
  AnswerAuthenticityCheckHandler,
  DecideAuthenticityHoldHandler,
  DecideAuthenticitySourceHoldHandler,
];
