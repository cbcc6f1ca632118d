import { describe, expect, it, jest } from '@jest/globals';
import { Logger, type ArgumentsHost } from '@nestjs/common';
import type { DomainError } from '#lx/event-sourcing';
import { DuplicateEventIdError, EventTooLargeError, WrongExpectedVersionError } from '#lx/event-store';
import { ParticipantError } from '../../access/src/domain/participant-errors.js';
import { AllocationNotFoundError } from '../../audit/src/application/dispute-report.js';
import {
  AuthenticityCheckAlreadyAnswered,
  AuthenticityNotHeld,
  AuthenticitySampleNotFound,
  AuthenticitySourceNotFound,
  AuthenticitySourceNotHeld,
  AuthenticityTaskNotFound,
} from '../../authenticity/src/domain/errors.js';
import { BuyerAccountError } from '../../buyers/src/domain/buyer-account-errors.js';
import { ConversionError } from '../../buyers/src/domain/conversion.js';
import { ReturnRequestError } from '../../buyers/src/domain/return-request.js';
import { WebhookTargetRefused } from '../../buyers/src/infrastructure/webhook-targets.js';
import {
  BatchNotFound,
  BatchStillVerifying,
  DoNotContactListClosed,
  DoNotContactListExists,
  DoNotContactListInvalid,
  DoNotContactListNotFound,
  LeadErasedError,
  LeadNotFound,
  ReturnAlreadyDecided,
  ReturnNotFound,
  SellerResponseExists,
} from '../../leads/src/domain/errors.js';
import { NothingToPayOutError, PayoutConflictError } from '../../ledger/src/application/payouts.js';
import { MarketSettingsConflict } from '../../matching/src/application/market-settings.js';
import {
  ReturnDecisionExistsError,
  ReturnNotEscalatedError,
  ReturnNotFoundError,
} from '../../returns/src/domain/return-errors.js';
import { ERROR_STATUS_BY_CODE } from './error-statuses.js';
import { ProblemDetailsFilter } from './problem-details.filter.js';
import { PROBLEM_BASE, type ProblemDetails } from './problem-details.js';

/*
 * Every domain error class of every library, one instance per code it can carry. The code lists are
 * `satisfies Record<Code, number>`: a code added to an error type and not here fails the typecheck,
 * and the statuses written here are the ones the API answered before the table existed.
 */
const participantCodes = {
  'participant-exists': 409,
  'participant-not-found': 404,
  'participant-suspended': 409,
  'api-key-not-found': 404,
} satisfies Record<ParticipantError['code'], number>;

const buyerAccountCodes = {
  'insufficient-funds': 422,
  'order-not-found': 404,
  'order-exists': 409,
  'order-state-conflict': 409,
  'deposit-exists': 409,
  'budget-reduction-refused': 422,
  'order-expiry-in-past': 422,
  'currency-mismatch': 422,
  'release-exceeds-reservation': 422,
  'invalid-webhook-url': 422,
  'webhook-not-found': 404,
  'market-not-open': 422,
} satisfies Record<BuyerAccountError['code'], number>;

const returnRequestCodes = {
  'return-exists': 409,
  'return-window-elapsed': 422,
} satisfies Record<ReturnRequestError['code'], number>;

const conversionCodes = {
  'conversion-exists': 409,
  'conversion-before-purchase': 422,
  'conversion-in-the-future': 422,
} satisfies Record<ConversionError['code'], number>;

/** One instance of an error type per code it can carry, each with the status pinned for that code. */
function oneErrorPerCode<Code extends string>(
  statuses: Record<Code, number>,
  refusal: (code: Code) => DomainError,
): [DomainError, number][] {
  return (Object.entries(statuses) as [Code, number][]).map(([code, status]) => [refusal(code), status]);
}

const everyDomainError: [DomainError, number][] = [
  ...oneErrorPerCode(participantCodes, (code) => new ParticipantError(code, 'refused')),
  ...oneErrorPerCode(buyerAccountCodes, (code) => new BuyerAccountError(code, 'refused')),
  ...oneErrorPerCode(returnRequestCodes, (code) => new ReturnRequestError(code, 'refused')),
  ...oneErrorPerCode(conversionCodes, (code) => new ConversionError(code, 'refused')),
  [new WebhookTargetRefused('refused'), 422],
  [new BatchNotFound('b'), 404],
  [new BatchStillVerifying('b'), 409],
  [new LeadNotFound('l'), 404],
  [new LeadErasedError('l'), 422],
  [new ReturnNotFound('a'), 404],
  [new SellerResponseExists('a'), 409],
  [new ReturnAlreadyDecided('a'), 422],
  [new DoNotContactListNotFound('l'), 404],
  [new DoNotContactListExists('l'), 409],
  [new DoNotContactListClosed('l', 'ended'), 409],
  [new DoNotContactListInvalid('expiresAt must be in the future'), 422],
  [new NothingToPayOutError('s', 'EUR'), 422],
  [new PayoutConflictError('p'), 409],
  [new MarketSettingsConflict('refused'), 409],
  [new ReturnNotFoundError('a'), 404],
  [new ReturnDecisionExistsError('a', 'accepted'), 409],
  [new ReturnNotEscalatedError('a'), 422],
  [new AllocationNotFoundError('refused'), 404],
  [new AuthenticityTaskNotFound('l', 'b'), 404],
  [new AuthenticityCheckAlreadyAnswered('l', 'confirmed'), 409],
  [new AuthenticitySampleNotFound('b'), 404],
  [new AuthenticityNotHeld('b', 'passed'), 409],
  [new AuthenticitySourceNotFound('s'), 404],
  [new AuthenticitySourceNotHeld('s', 'verified'), 409],
];

function rendered(exception: unknown): { status: number; problem: ProblemDetails } {
  let status = 0;
  let body = '';
  const response = {
    status: (code: number) => ((status = code), response),
    type: () => response,
    setHeader: () => response,
    send: (text: string) => ((body = text), response),
  };
  const host = {
    switchToHttp: () => ({
      getRequest: () => ({ originalUrl: '/v1/things' }),
      getResponse: () => response,
    }),
  } as unknown as ArgumentsHost;
  new ProblemDetailsFilter().catch(exception, host);
  return { status, problem: JSON.parse(body) as ProblemDetails };
}

describe('the table of error statuses', () => {
  it.each(everyDomainError.map(([error, status]) => [error.constructor.name, error.code, status, error]))(
    '%s %s answers %d',
    (_name, code, status, error) => {
      expect(ERROR_STATUS_BY_CODE[code as string]).toBe(status);
      const answer = rendered(error);
      expect(answer.status).toBe(status);
      expect(answer.problem).toMatchObject({
        type: `${PROBLEM_BASE}${code as string}`,
        title: (code as string).replace(/-/g, ' '),
        status,
        detail: (error as DomainError).message,
        instance: '/v1/things',
      });
    },
  );

  it('names no code that no error carries', () => {
    const storeCodes = [
      'wrong-expected-version',
      'duplicate-event-id',
      'invalid-stream-name',
      'event-schema-violation',
      'event-too-large',
      'unknown-event-type',
    ];
    const known = new Set([...everyDomainError.map(([error]) => error.code), ...storeCodes]);
    expect(Object.keys(ERROR_STATUS_BY_CODE).filter((code) => !known.has(code))).toEqual([]);
  });

  it('answers the event store refusals callers can retry or correct', () => {
    expect(rendered(new WrongExpectedVersionError('s', 1, 2)).status).toBe(409);
    expect(rendered(new DuplicateEventIdError(['e'])).status).toBe(409);
    expect(rendered(new EventTooLargeError('T', 2, 1)).status).toBe(413);
  });

  it('carries the facts of a domain refusal as details', () => {
    expect(rendered(new BatchNotFound('b-1')).problem.details).toEqual({ batchId: 'b-1' });
  });

  it('answers 500, without internals, for a domain error whose code is not in the table', () => {
    const unlisted = Object.assign(new WebhookTargetRefused('secret internals'), {
      code: 'unlisted-refusal',
    });
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const answer = rendered(unlisted);
    expect(logged).toHaveBeenCalled();
    logged.mockRestore();
    expect(answer.status).toBe(500);
    expect(answer.problem).toEqual({
      type: `${PROBLEM_BASE}internal-error`,
      title: 'Internal error',
      status: 500,
      instance: '/v1/things',
    });
  });

  it('answers 500 for an error that only looks like a refusal', () => {
    expect(rendered(Object.assign(new Error('x'), { code: 'lead-not-found' })).status).toBe(500);
  });
});
