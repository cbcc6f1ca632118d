import type {
  AuthenticityOutcome,
  AuthenticitySourceCheckCounted,
  AuthenticitySourceHeld,
  AuthenticitySourceHoldDecided,
  AuthenticitySourceLeadsDrawn,
  AuthenticitySourceVerified,
  EventInput,
} from '#lx/contracts';
import type { Decider, DomainEvent } from '#lx/event-sourcing';
import { failuresExceed, type CheckAnswered } from './authenticity-sample.decider.js';
import {
  AuthenticityCheckAlreadyAnswered,
  AuthenticitySourceNotFound,
  AuthenticitySourceNotHeld,
  AuthenticityTaskNotFound,
} from './errors.js';
import { sourceDrawReason, sourceHoldMinAnswered } from './source-sampling.js';

export type SourceLeadsDrawn = EventInput<typeof AuthenticitySourceLeadsDrawn>;

export type AuthenticitySourceEvent =
  | DomainEvent<'AuthenticitySourceLeadsDrawn', SourceLeadsDrawn>
  | DomainEvent<'AuthenticityCheckAnswered', CheckAnswered>
  | DomainEvent<'AuthenticitySourceCheckCounted', EventInput<typeof AuthenticitySourceCheckCounted>>
  | DomainEvent<'AuthenticitySourceHeld', EventInput<typeof AuthenticitySourceHeld>>
  | DomainEvent<'AuthenticitySourceVerified', EventInput<typeof AuthenticitySourceVerified>>
  | DomainEvent<'AuthenticitySourceHoldDecided', EventInput<typeof AuthenticitySourceHoldDecided>>;

/** Who the source is: a seller's source tag (null: its untagged leads) in one market. */
export interface SourceIdentity {
  readonly sourceId: string;
  readonly vertical: string;
  readonly sellerId: string;
  readonly source: string | null;
}

/**
 * `sampling`: too few checks answered since the last decision to judge; `verified`: enough
 * answered, failures within the threshold (the source's leads are sample-verified); `held`:
 * failures above it, the source's unsold leads off sale; `released`: an operator put a held
 * source back on sale and its record starts again; `withdrawn`: its leads never sell in the market.
 */
export type SourceStatus = 'none' | 'sampling' | 'verified' | 'held' | 'released' | 'withdrawn';

export interface DrawnSourceLead {
  readonly batchId: string;
  readonly ordinal: number;
  readonly reason: 'first' | 'share';
}

export interface SourceRecord {
  readonly answered: number;
  readonly confirmed: number;
  readonly failed: number;
}

export interface AuthenticitySourceState {
  readonly identity: SourceIdentity | null;
  readonly drawn: Readonly<Record<string, DrawnSourceLead>>;
  readonly answers: Readonly<Record<string, AuthenticityOutcome>>;
  /** From the latest draw: what the record is judged by. */
  readonly holdThresholdPercent: number;
  readonly holdMinAnswered: number;
  /** Checks answered since the last decision (since the start before one). */
  readonly record: SourceRecord;
  readonly status: SourceStatus;
}

/** A lead of the source listed while its market samples sources, to be judged by the rule. */
export interface SourceCandidate {
  readonly leadId: string;
  readonly batchId: string;
  readonly ordinal: number;
}

export type AuthenticitySourceCommand =
  | {
      type: 'DrawSourceLeads';
      source: SourceIdentity;
      settings: { samplePercent: number; sampleMin: number; holdThresholdPercent: number };
      candidates: readonly SourceCandidate[];
    }
  /**
   * A check of a lead answered. `recordedOn: 'source'`: the answer itself goes on this stream (the
   * lead was drawn here only); `'batch'`: it went on the batch's stream and is counted here if this
   * source drew the lead too.
   */
  | {
      type: 'AnswerSourceCheck';
      answer: Omit<CheckAnswered, 'sellerId' | 'vertical'>;
      recordedOn: 'source' | 'batch';
    }
  | {
      type: 'DecideSourceHold';
      sourceId: string;
      decision: 'released' | 'withdrawn';
      operatorId: string;
      note: string;
    };

const NO_RECORD: SourceRecord = { answered: 0, confirmed: 0, failed: 0 };

export const initialSourceState: AuthenticitySourceState = {
  identity: null,
  drawn: {},
  answers: {},
  holdThresholdPercent: 0,
  holdMinAnswered: 1,
  record: NO_RECORD,
  status: 'none',
};

function counted(state: AuthenticitySourceState, leadId: string, outcome: AuthenticityOutcome) {
  if (state.answers[leadId] !== undefined) return state;
  const failed = outcome === 'confirmed' ? 0 : 1;
  return {
    ...state,
    answers: { ...state.answers, [leadId]: outcome },
    record: {
      answered: state.record.answered + 1,
      confirmed: state.record.confirmed + 1 - failed,
      failed: state.record.failed + failed,
    },
  };
}

/**
 * The authenticity checks of one seller's source in one market (stream
 * `authenticity-source-<sourceId>`, docs/architecture.md §4.1): each lead drawn once by the rule
 * of `sourceDrawReason`; each drawn lead's answer counted once, whichever stream it was recorded
 * on; once `holdMinAnswered` checks are answered since the last decision, failures above the
 * threshold hold the source, within it verify it; an operator releases (the record starts again)
 * or withdraws a held source.
 */
export const authenticitySourceDecider: Decider<
  AuthenticitySourceState,
  AuthenticitySourceCommand,
  AuthenticitySourceEvent
> = {
  initialState: initialSourceState,
  // A source's stream grows with its drawn leads: keep folded states rather than refold each time.
  keepFoldedStreams: 1000,
  evolve(state, event) {
    switch (event.type) {
      case 'AuthenticitySourceLeadsDrawn': {
        const { sourceId, vertical, sellerId, source, leads } = event.data;
        const drawn = { ...state.drawn };
        for (const { leadId, batchId, ordinal, reason } of leads)
          drawn[leadId] ??= { batchId, ordinal, reason };
        return {
          ...state,
          identity: state.identity ?? { sourceId, vertical, sellerId, source },
          drawn,
          holdThresholdPercent: event.data.holdThresholdPercent,
          holdMinAnswered: event.data.holdMinAnswered,
          status: state.status === 'none' ? 'sampling' : state.status,
        };
      }
      case 'AuthenticityCheckAnswered':
      case 'AuthenticitySourceCheckCounted':
        return counted(state, event.data.leadId, event.data.outcome);
      case 'AuthenticitySourceHeld':
        return { ...state, status: 'held' };
      case 'AuthenticitySourceVerified':
        return { ...state, status: 'verified' };
      case 'AuthenticitySourceHoldDecided':
        return {
          ...state,
          status: event.data.decision,
          record: event.data.decision === 'released' ? NO_RECORD : state.record,
        };
    }
  },
  decide(command, state) {
    switch (command.type) {
      case 'DrawSourceLeads':
        return drawSourceLeads(command, state);
      case 'AnswerSourceCheck':
        return answerSourceCheck(command.answer, command.recordedOn, state);
      case 'DecideSourceHold': {
        const identity = state.identity;
        if (!identity) throw new AuthenticitySourceNotFound(command.sourceId);
        if (state.status !== 'held') throw new AuthenticitySourceNotHeld(command.sourceId, state.status);
        const { decision, operatorId, note } = command;
        return [{ type: 'AuthenticitySourceHoldDecided', data: { ...identity, decision, operatorId, note } }];
      }
    }
  },
};

function drawSourceLeads(
  command: Extract<AuthenticitySourceCommand, { type: 'DrawSourceLeads' }>,
  state: AuthenticitySourceState,
): AuthenticitySourceEvent[] {
  const { source, settings } = command;
  const leads: SourceLeadsDrawn['leads'] = [];
  const seen = new Set<string>();
  for (const candidate of command.candidates) {
    if (state.drawn[candidate.leadId] !== undefined || seen.has(candidate.leadId)) continue;
    seen.add(candidate.leadId);
    const reason = sourceDrawReason({ ...source, ...candidate }, settings);
    if (reason !== null) leads.push({ ...candidate, reason });
  }
  if (leads.length === 0) return [];
  leads.sort((a, b) => a.ordinal - b.ordinal || (a.leadId < b.leadId ? -1 : 1));
  return [
    {
      type: 'AuthenticitySourceLeadsDrawn',
      data: {
        ...source,
        rule: 'sha256-source-lead-v1',
        ...settings,
        holdMinAnswered: sourceHoldMinAnswered(settings.sampleMin),
        leads,
      },
    },
  ];
}

function answerSourceCheck(
  answer: Omit<CheckAnswered, 'sellerId' | 'vertical'>,
  recordedOn: 'source' | 'batch',
  state: AuthenticitySourceState,
): AuthenticitySourceEvent[] {
  const identity = state.identity;
  const drawn = state.drawn[answer.leadId];
  if (!identity || !drawn) {
    // Not drawn here: nothing to count; an answer meant for this stream has no task.
    if (recordedOn === 'batch') return [];
    throw new AuthenticityTaskNotFound(answer.leadId);
  }
  const previous = state.answers[answer.leadId];
  if (previous !== undefined) {
    if (recordedOn === 'batch') return []; // counted already
    throw new AuthenticityCheckAlreadyAnswered(answer.leadId, previous);
  }
  const { vertical, sellerId } = identity;
  const events: AuthenticitySourceEvent[] = [
    recordedOn === 'source'
      ? { type: 'AuthenticityCheckAnswered', data: { ...answer, sellerId, vertical } }
      : {
          type: 'AuthenticitySourceCheckCounted',
          data: { ...identity, leadId: answer.leadId, batchId: answer.batchId, outcome: answer.outcome },
        },
  ];
  const judged = judge(counted(state, answer.leadId, answer.outcome));
  if (judged) events.push(judged);
  return events;
}

/**
 * What the source's record says after an answer: held when, with enough checks answered since
 * the last decision, the failures exceed the threshold; verified when they do not (once). A held
 * or withdrawn source waits for its operator: answers are recorded only.
 */
function judge(state: AuthenticitySourceState): AuthenticitySourceEvent | null {
  const { identity, record, holdThresholdPercent, holdMinAnswered, status } = state;
  if (!identity || status === 'held' || status === 'withdrawn') return null;
  if (record.answered < holdMinAnswered) return null;
  const tally = { ...identity, ...record, holdThresholdPercent, holdMinAnswered };
  if (failuresExceed(record.failed, record.answered, holdThresholdPercent))
    return { type: 'AuthenticitySourceHeld', data: tally };
  return status === 'verified' ? null : { type: 'AuthenticitySourceVerified', data: tally };
}
