import { Command, Query } from '@nestjs/cqrs';
import type {
  PingAnswer,
  PingRefused,
  PingRequest,
  PostAnswer,
  PostLeadRequest,
} from './realtime-selling.js';

/** A seller posts one lead and hears its outcome (rejected, resting, sold) or `pending`. */
export class PostLead extends Command<PostAnswer> {
  constructor(readonly request: PostLeadRequest) {
    super();
  }
}

/** A seller pings with a lead's anonymous attributes and hears the price the market would pay now. */
export class SendPing extends Command<PingAnswer | { refused: PingRefused }> {
  constructor(readonly request: PingRequest) {
    super();
  }
}

/** The outcome of one of the seller's posted leads (null: not a posted lead of the seller's). */
export class GetPostOutcome extends Query<PostAnswer | null> {
  constructor(
    readonly sellerId: string,
    readonly leadId: string,
  ) {
    super();
  }
}

/** The answer to one of the seller's pings (null: not a ping of the seller's). */
export class GetPingAnswer extends Query<PingAnswer | null> {
  constructor(
    readonly sellerId: string,
    readonly pingId: string,
  ) {
    super();
  }
}
