import { Inject } from '@nestjs/common';
import { CommandHandler, QueryHandler, type ICommandHandler, type IQueryHandler } from '@nestjs/cqrs';
import { LEADS_RUNTIME } from '../application/leads-tokens.js';
import {
  GetPingAnswer,
  GetPostOutcome,
  PostLead,
  SendPing,
} from '../application/realtime/realtime-messages.js';
import type { PingAnswer, PingRefused, PostAnswer } from '../application/realtime/realtime-selling.js';
import type { LeadsRuntime } from './leads-runtime.js';

/* Real-time selling's handlers: each calls one service of the runtime (docs/architecture.md §1). */

@CommandHandler(PostLead)
export class PostLeadHandler implements ICommandHandler<PostLead> {
  constructor(@Inject(LEADS_RUNTIME) private readonly runtime: LeadsRuntime) {}

  execute({ request }: PostLead): Promise<PostAnswer> {
    return this.runtime.realtime.post(request);
  }
}

@CommandHandler(SendPing)
export class SendPingHandler implements ICommandHandler<SendPing> {
  constructor(@Inject(LEADS_RUNTIME) private readonly runtime: LeadsRuntime) {}

  execute({ request }: SendPing): Promise<PingAnswer | { refused: PingRefused }> {
    return this.runtime.realtime.ping(request);
  }
}

@QueryHandler(GetPostOutcome)
export class GetPostOutcomeHandler implements IQueryHandler<GetPostOutcome> {
  constructor(@Inject(LEADS_RUNTIME) private readonly runtime: LeadsRuntime) {}

  execute({ sellerId, leadId }: GetPostOutcome): Promise<PostAnswer | null> {
    return this.runtime.realtime.outcomeOf(sellerId, leadId);
  }
}

@QueryHandler(GetPingAnswer)
export class GetPingAnswerHandler implements IQueryHandler<GetPingAnswer> {
  constructor(@Inject(LEADS_RUNTIME) private readonly runtime: LeadsRuntime) {}

  execute({ sellerId, pingId }: GetPingAnswer): Promise<PingAnswer | null> {
    return this.runtime.realtime.pingAnswerOf(sellerId, pingId);
  }
}

export const realtimeHandlers = [
  PostLeadHandler,
  SendPingHandler,
  GetPostOutcomeHandler,
  GetPingAnswerHandler,
];
