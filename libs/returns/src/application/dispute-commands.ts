import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ReturnDecisions } from './return-decisions.js';

/** The event an auditor's decision appended: ReturnAccepted or ReturnRejected. */
export type AuditorDecision = Awaited<ReturnType<ReturnDecisions['decideAsAuditor']>>;

/** An auditor decides an escalated return, once; accepting voids the transfer and refunds the buyer. */
export class DecideDispute extends Command<AuditorDecision> {
  constructor(
    readonly allocationId: string,
    readonly auditorId: string,
    readonly outcome: 'accept' | 'reject',
    readonly rationale: string,
  ) {
    super();
  }
}

@CommandHandler(DecideDispute)
export class DecideDisputeHandler implements ICommandHandler<DecideDispute> {
  constructor(@Inject(ReturnDecisions) private readonly decisions: ReturnDecisions) {}

  execute({ allocationId, auditorId, outcome, rationale }: DecideDispute): Promise<AuditorDecision> {
    return this.decisions.decideAsAuditor(
      { kind: 'decide-as-auditor', allocationId, auditorId, outcome, rationale },
      new Date(),
    );
  }
}

export const disputeCommandHandlers = [DecideDisputeHandler];
