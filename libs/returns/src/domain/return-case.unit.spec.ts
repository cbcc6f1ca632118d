import { describe, expect, it } from '@jest/globals';
import { deciderSpec } from '#lx/spec-helpers';
import { judgeReturn, type ReturnFacts } from './automatic-rules.js';
import { returnCaseDecider } from './return-case.decider.js';
import type { ReturnCaseEvent, ReturnRequestData } from './return-case.js';
import { ReturnDecisionExistsError, ReturnNotEscalatedError, ReturnNotFoundError } from './return-errors.js';

const spec = deciderSpec(returnCaseDecider);
const allocationId = 'alloc-1';
const fp = (c: string) => c.repeat(64);

const requestData = () => (request() as { data: ReturnRequestData }).data;

const request = (fields: Partial<ReturnRequestData> = {}): ReturnCaseEvent => ({
  type: 'ReturnRequested',
  data: {
    allocationId,
    leadId: 'lead-1',
    orderId: 'order-1',
    buyerId: 'buyer-1',
    sellerId: 'seller-1',
    reason: 'invalid_phone',
    evidence: [],
    ...fields,
  },
});

const facts = (overrides: Partial<ReturnFacts> = {}): ReturnFacts => ({
  allocation: {
    allocationId,
    buyerId: 'buyer-1',
    sellerId: 'seller-1',
    leadId: 'lead-1',
    at: '2030-01-10T10:00:00.000Z',
  },
  requestedAt: '2030-01-10T12:00:00.000Z',
  windowEndsAt: '2030-01-13T10:00:00.000Z',
  lead: {
    sellerId: 'seller-1',
    quality: 80,
    sellerQuality: 55,
    fingerprints: { phone: fp('a'), email: fp('b') },
    attributes: {
      vertical: 'eyewear',
      age: 40,
      country: 'RU',
      region: 'RU-MOW',
      contacts: { phone: { present: true, verified: true }, email: { present: true, verified: true } },
      interests: ['premium_glasses'],
      stage: 'MQL',
      sourceChannel: 'search',
      capturedAt: '2030-01-10T09:55:00.000Z',
    },
  },
  earlierPurchases: [],
  dedupeWindowDays: 30,
  orderAsOfAllocation: { filters: {} },
  returnCap: null,
  ...overrides,
});

const judge = (f: ReturnFacts) => ({ kind: 'judge-automatically', allocationId, facts: f }) as const;
const system = { allocationId, decidedBy: 'system' };

describe('return case', () => {
  it('accepts a true duplicate of an earlier purchase, naming it', () => {
    const earlier = {
      allocationId: 'alloc-0',
      leadId: 'lead-0',
      sellerId: 'seller-2',
      at: '2030-01-03T10:00:00.000Z',
    };
    spec
      .given([request({ reason: 'duplicate' })])
      .when(judge(facts({ earlierPurchases: [{ ...earlier, fingerprints: { phone: fp('a') } }] })))
      .then([
        {
          type: 'ReturnAccepted',
          data: {
            ...system,
            rule: 'duplicate-of-earlier-purchase',
            rationale:
              'Lead lead-1 is the same person (phone fingerprint) as lead lead-0, which this buyer bought in allocation alloc-0 from seller seller-2 at 2030-01-03T10:00:00.000Z, inside the 30-day dedupe window',
          },
        },
      ]);
  });

  it('rejects a duplicate claim no earlier purchase proves', () => {
    const other = {
      allocationId: 'alloc-0',
      leadId: 'lead-0',
      sellerId: 'seller-2',
      at: '2030-01-03T10:00:00.000Z',
    };
    const decided = returnCaseDecider.decide(
      judge(facts({ earlierPurchases: [{ ...other, fingerprints: { phone: fp('c') } }] })),
      returnCaseDecider.evolve(returnCaseDecider.initialState, request({ reason: 'duplicate' })),
      { now: new Date(), newId: () => 'x' },
    );
    spec
      .given([request({ reason: 'duplicate' })])
      .when(judge(facts()))
      .then([
        {
          type: 'ReturnRejected',
          data: {
            ...system,
            rule: 'duplicate-of-earlier-purchase',
            rationale:
              "None of the buyer's 0 purchases in the 30 days before this allocation has the phone or e-mail fingerprint of lead lead-1",
          },
        },
      ]);
    if (decided[0]?.type !== 'ReturnRejected')
      throw new Error('a different person must not count as a duplicate');
  });

  it('replays the order: a lead outside its filters is accepted, one inside them rejected', () => {
    spec
      .given([request({ reason: 'filter_mismatch', replace: true })])
      .when(judge(facts({ orderAsOfAllocation: { filters: { ageMin: 45, regions: ['RU-MOW'] } } })))
      .then([
        {
          type: 'ReturnAccepted',
          data: {
            ...system,
            rule: 'filter-mismatch-by-replay',
            rationale: "Replayed as of the allocation, the lead fails the order's filter(s): ageMin",
            replace: true,
          },
        },
      ]);
    // The seller's score the lead was listed with is replayed too.
    spec
      .given([request({ reason: 'filter_mismatch' })])
      .when(judge(facts({ orderAsOfAllocation: { filters: { minSellerQuality: 60 } } })))
      .then([
        {
          type: 'ReturnAccepted',
          data: {
            ...system,
            rule: 'filter-mismatch-by-replay',
            rationale:
              "Replayed as of the allocation, the lead fails the order's filter(s): minSellerQuality",
          },
        },
      ]);
    spec
      .given([request({ reason: 'filter_mismatch' })])
      .when(judge(facts({ orderAsOfAllocation: { filters: { ageMin: 30, minSellerQuality: 55 } } })))
      .then([
        {
          type: 'ReturnRejected',
          data: {
            ...system,
            rule: 'filter-mismatch-by-replay',
            rationale:
              "Replayed as of the allocation at 2030-01-10T10:00:00.000Z, the lead's attributes satisfy every filter of the order",
          },
        },
      ]);
  });

  it('replays the order’s delivery schedule too: an allocation outside it is accepted, one inside rejected', () => {
    // 2030-01-10 is a Thursday; 10:00 UTC is 11:00 in Madrid.
    const schedule = (from: string, to: string) => ({
      timeZone: 'Europe/Madrid',
      windows: [
        { days: ['mon', 'tue', 'wed', 'thu', 'fri'] as ('mon' | 'tue' | 'wed' | 'thu' | 'fri')[], from, to },
      ],
    });
    spec
      .given([request({ reason: 'filter_mismatch' })])
      .when(judge(facts({ orderAsOfAllocation: { filters: {}, schedule: schedule('12:00', '18:00') } })))
      .then([
        {
          type: 'ReturnAccepted',
          data: {
            ...system,
            rule: 'filter-mismatch-by-replay',
            rationale:
              "Replayed as of the allocation, the lead fails the order's filter(s): schedule (allocated at " +
              '2030-01-10T10:00:00.000Z, outside Mon–Fri 12:00–18:00 (Europe/Madrid))',
          },
        },
      ]);
    spec
      .given([request({ reason: 'filter_mismatch' })])
      .when(judge(facts({ orderAsOfAllocation: { filters: {}, schedule: schedule('11:00', '18:00') } })))
      .then([
        {
          type: 'ReturnRejected',
          data: {
            ...system,
            rule: 'filter-mismatch-by-replay',
            rationale:
              "Replayed as of the allocation at 2030-01-10T10:00:00.000Z, the lead's attributes satisfy every filter " +
              'of the order, and the allocation was inside its schedule, Mon–Fri 11:00–18:00 (Europe/Madrid)',
          },
        },
      ]);
  });

  it('rejects "not interested" as not a valid reason, and a request after the window', () => {
    const [rejected] = returnCaseDecider.decide(
      judge(facts()),
      returnCaseDecider.evolve(
        returnCaseDecider.initialState,
        request({ reason: 'other', text: 'Client not interested' }),
      ),
      { now: new Date(), newId: () => 'x' },
    );
    if (rejected?.type !== 'ReturnRejected' || rejected.data.rule !== 'reason-not-returnable')
      throw new Error(`expected reason-not-returnable, got ${JSON.stringify(rejected)}`);
    spec
      .given([request()])
      .when(judge(facts({ requestedAt: '2030-01-13T10:00:01.000Z' })))
      .then([
        {
          type: 'ReturnRejected',
          data: {
            ...system,
            rule: 'return-window-elapsed',
            rationale:
              'Requested at 2030-01-13T10:00:01.000Z; the return window closed at 2030-01-13T10:00:00.000Z',
          },
        },
      ]);
  });

  it('refuses claims beyond the return cap, and leaves the rest to the seller', () => {
    const cap = { percent: 10, windowDays: 30, purchases: 20, otherReturns: 2 };
    spec
      .given([request()])
      .when(judge(facts({ returnCap: cap })))
      .then([
        {
          type: 'ReturnRejected',
          data: {
            ...system,
            rule: 'over-return-cap',
            rationale:
              "This would be return 3 of 20 purchases in the last 30 days, above the market's cap of 10 %",
          },
        },
      ]);
    // Within the cap: the rules applied are recorded, and the return waits for the seller.
    spec
      .given([request()])
      .when(judge(facts({ returnCap: { ...cap, otherReturns: 1 } })))
      .then([
        {
          type: 'ReturnChecked',
          data: {
            allocationId,
            checks: [
              {
                rule: 'return-window-elapsed',
                outcome: 'passed',
                detail:
                  'Requested at 2030-01-10T12:00:00.000Z, before the return window closed at 2030-01-13T10:00:00.000Z',
              },
              {
                rule: 'reason-not-returnable',
                outcome: 'passed',
                detail: '“invalid_phone” is grounds for a return; whether it holds is not in the log',
              },
              {
                rule: 'over-return-cap',
                outcome: 'passed',
                detail: "Return 2 of 20 purchases in the last 30 days, within the market's cap of 10 %",
              },
            ],
            rationale:
              'Awaiting the seller\'s answer: only the seller or an auditor can judge "invalid_phone"',
          },
        },
      ]);
  });

  it('records the rules applied once: a redelivered request is not judged again', () => {
    const checked: ReturnCaseEvent = {
      type: 'ReturnChecked',
      data: {
        allocationId,
        checks: [
          { rule: 'over-return-cap', outcome: 'not-applicable', detail: 'The market sets no return cap' },
        ],
        rationale: "Awaiting the seller's answer",
      },
    };
    spec.given([request(), checked]).when(judge(facts())).then([]);
  });

  it('says when the market sets no return cap, and that an unusual reason was not a sales outcome', () => {
    const text = 'The person says they never filled in any form';
    const verdict = judgeReturn({ ...requestData(), reason: 'other', text }, facts({ returnCap: null }));
    expect(verdict.outcome).toBe('await-seller');
    const { checks } = verdict as { checks: { rule: string; outcome: string }[] };
    expect(checks.map(({ rule, outcome }) => `${rule}: ${outcome}`)).toEqual([
      'return-window-elapsed: passed',
      'reason-not-returnable: passed',
      'over-return-cap: not-applicable',
    ]);
  });

  it('follows the seller: acceptance decides, a contest escalates', () => {
    const response = (position: 'accept' | 'contest'): ReturnCaseEvent => ({
      type: 'SellerResponded',
      data: { allocationId, sellerId: 'seller-1', position, statement: 'Checked the number', evidence: [] },
    });
    spec
      .given([request(), response('accept')])
      .when({ kind: 'follow-seller-response', allocationId })
      .then([
        {
          type: 'ReturnAccepted',
          data: {
            allocationId,
            decidedBy: 'seller-1',
            rule: 'seller-accepted',
            rationale: 'The seller accepted the return',
          },
        },
      ]);
    spec
      .given([request(), response('contest')])
      .when({ kind: 'follow-seller-response', allocationId })
      .then([
        {
          type: 'ReturnEscalated',
          data: {
            allocationId,
            escalatedBy: 'system',
            reason: "The seller contests the return (see the seller's statement)",
          },
        },
      ]);
  });

  it('sends a return the seller did not answer in time to an auditor, once', () => {
    const silence = { kind: 'escalate-unanswered', allocationId, allowedHours: 48 } as const;
    const escalated: ReturnCaseEvent = {
      type: 'ReturnEscalated',
      data: { allocationId, escalatedBy: 'system', reason: 'The seller did not answer within 48 h' },
    };
    spec.given([request()]).when(silence).then([escalated]);
    spec.given([request(), escalated]).when(silence).then([]);
    // An answer in time stands: the seller's acceptance or contest decides what happens next.
    const answered: ReturnCaseEvent = {
      type: 'SellerResponded',
      data: { allocationId, sellerId: 'seller-1', position: 'contest', statement: 'Checked', evidence: [] },
    };
    spec.given([request(), answered]).when(silence).then([]);
    spec.given([]).when(silence).then([]);
  });

  it('lets an auditor decide an escalated return once, and only then', () => {
    const escalated: ReturnCaseEvent = {
      type: 'ReturnEscalated',
      data: { allocationId, escalatedBy: 'system', reason: 'x' },
    };
    const decide = {
      kind: 'decide-as-auditor',
      allocationId,
      auditorId: 'aud-1',
      outcome: 'reject',
      rationale: 'Line active',
    } as const;
    spec
      .given([request(), escalated])
      .when(decide)
      .then([
        {
          type: 'ReturnRejected',
          data: { allocationId, decidedBy: 'aud-1', rule: 'auditor-decision', rationale: 'Line active' },
        },
      ]);
    const accepted: ReturnCaseEvent = {
      type: 'ReturnAccepted',
      data: { allocationId, decidedBy: 'aud-1', rule: 'auditor-decision', rationale: 'x' },
    };
    spec.given([request(), escalated, accepted]).when(decide).then(ReturnDecisionExistsError);
    spec.given([request()]).when(decide).then(ReturnNotEscalatedError);
    spec.given([]).when(decide).then(ReturnNotFoundError);
  });

  it('closes the window only when no return is open or accepted; then nothing can be accepted', () => {
    const close = { kind: 'close-window', allocationId, closedAt: '2030-01-13T10:00:00.000Z' } as const;
    const closed: ReturnCaseEvent = {
      type: 'ReturnWindowClosed',
      data: { allocationId, closedAt: close.closedAt },
    };
    spec.given([]).when(close).then([closed]);
    spec.given([request()]).when(close).then([]);
    spec.given([closed]).when(close).then([]);
    spec
      .given([closed, request({ reason: 'duplicate' })])
      .when(judge(facts()))
      .then([
        {
          type: 'ReturnRejected',
          data: {
            ...system,
            rule: 'return-window-elapsed',
            rationale: 'The return window closed before the request',
          },
        },
      ]);
  });
});
