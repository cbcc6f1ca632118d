import {
  describeSchedule,
  type EventData,
  type LeadListed,
  type OrderPlaced,
  type ReturnChecked,
  type ReturnRule,
} from '#lx/contracts';
import { CompiledSchedule, filterableLead, filtersAccept, type OrderFilters } from '#lx/matching/rules';
import type { ReturnRequestData } from './return-case.js';

/*
 * What the log can prove about a return on its own (docs/architecture.md §6). Provable claims (a duplicate of
 * an earlier purchase, a lead outside the order's filters) are accepted or rejected here; claims
 * only people can judge (the phone does not answer, fraud, consent) wait for the seller's answer
 * and then an auditor. Pure: every fact is read from the log by the caller.
 */

export type ReturnRuleName = ReturnRule;
type Rule = ReturnRuleName;

/** A rule checked that did not decide the return (recorded, so an auditor sees what was applied). */
export type RuleCheck = EventData<typeof ReturnChecked>['checks'][number];

export type Verdict =
  | { outcome: 'accept' | 'reject'; rule: Rule; rationale: string }
  | { outcome: 'await-seller'; rationale: string; checks: RuleCheck[] };

export interface PurchaseFact {
  allocationId: string;
  leadId: string;
  sellerId: string;
  at: string;
  fingerprints: { phone?: string | undefined; email?: string | undefined };
}

export interface ReturnFacts {
  allocation: { allocationId: string; buyerId: string; sellerId: string; leadId: string; at: string };
  /** When the buyer asked (the request's domain time). */
  requestedAt: string;
  windowEndsAt: string;
  /** `sellerQuality`: the seller-history part of the quality score the lead was listed with. */
  lead: Pick<EventData<typeof LeadListed>, 'attributes' | 'fingerprints' | 'sellerId'> & {
    quality: number;
    sellerQuality: number;
  };
  /** The buyer's purchases before this allocation, inside the market's dedupe window. */
  earlierPurchases: PurchaseFact[];
  dedupeWindowDays: number;
  /** The order's terms as they stood when the lead was allocated (replayed from the buyer stream). */
  orderAsOfAllocation: Pick<EventData<typeof OrderPlaced>, 'filters' | 'schedule'> | null;
  /** Null when the market sets no cap. */
  returnCap: { percent: number; windowDays: number; purchases: number; otherReturns: number } | null;
}

/** Phrases that describe the buyer's sales outcome, not a defect of the lead. */
const NOT_RETURNABLE = [
  /\bnot interested\b/i,
  /\bno longer interested\b/i,
  /\bchanged (?:his|her|their) mind\b/i,
  /\btoo expensive\b/i,
  /\bno budget\b/i,
  /\balready (?:bought|purchased)\b/i,
  /\bjust browsing\b/i,
];

export function judgeReturn(request: ReturnRequestData, facts: ReturnFacts): Verdict {
  if (Date.parse(facts.requestedAt) > Date.parse(facts.windowEndsAt))
    return {
      outcome: 'reject',
      rule: 'return-window-elapsed',
      rationale: `Requested at ${facts.requestedAt}; the return window closed at ${facts.windowEndsAt}`,
    };
  const checks: RuleCheck[] = [
    {
      rule: 'return-window-elapsed',
      outcome: 'passed',
      detail: `Requested at ${facts.requestedAt}, before the return window closed at ${facts.windowEndsAt}`,
    },
  ];
  switch (request.reason) {
    case 'duplicate':
      return judgeDuplicate(facts);
    case 'filter_mismatch':
      return judgeFilterMismatch(facts, checks);
    case 'other': {
      const phrase = NOT_RETURNABLE.find((pattern) => pattern.test(request.text ?? ''));
      if (phrase)
        return {
          outcome: 'reject',
          rule: 'reason-not-returnable',
          rationale: `"${request.text}" describes the outcome of the buyer's contact, not a defect of the lead; valid reasons are an invalid phone or e-mail, a duplicate, fake or fraudulent data, missing consent, or a filter mismatch`,
        };
      checks.push({
        rule: 'reason-not-returnable',
        outcome: 'passed',
        detail:
          "The reason given does not describe the outcome of the buyer's contact (such as “not interested”)",
      });
      return withinCap(facts, checks, 'an auditor must judge the reason given');
    }
    default:
      checks.push({
        rule: 'reason-not-returnable',
        outcome: 'passed',
        detail: `“${request.reason}” is grounds for a return; whether it holds is not in the log`,
      });
      return withinCap(facts, checks, `only the seller or an auditor can judge "${request.reason}"`);
  }
}

/** The cap applies to claims the exchange cannot prove; a provable defect is refunded regardless. */
function withinCap(facts: ReturnFacts, checks: RuleCheck[], why: string): Verdict {
  const cap = facts.returnCap;
  const thisReturn = cap ? cap.otherReturns + 1 : 0;
  if (cap && cap.purchases > 0 && thisReturn * 100 > cap.percent * cap.purchases)
    return {
      outcome: 'reject',
      rule: 'over-return-cap',
      rationale: `This would be return ${thisReturn} of ${cap.purchases} purchases in the last ${cap.windowDays} days, above the market's cap of ${cap.percent} %`,
    };
  checks.push(
    cap
      ? {
          rule: 'over-return-cap',
          outcome: 'passed',
          detail: `Return ${thisReturn} of ${cap.purchases} purchases in the last ${cap.windowDays} days, within the market's cap of ${cap.percent} %`,
        }
      : { rule: 'over-return-cap', outcome: 'not-applicable', detail: 'The market sets no return cap' },
  );
  return { outcome: 'await-seller', rationale: `Awaiting the seller's answer: ${why}`, checks };
}

function judgeDuplicate(facts: ReturnFacts): Verdict {
  const mine = facts.lead.fingerprints;
  for (const earlier of facts.earlierPurchases) {
    const same = (['phone', 'email'] as const).filter(
      (kind) => mine[kind] !== undefined && mine[kind] === earlier.fingerprints[kind],
    );
    if (same.length > 0)
      return {
        outcome: 'accept',
        rule: 'duplicate-of-earlier-purchase',
        rationale:
          `Lead ${facts.allocation.leadId} is the same person (${same.join(' and ')} fingerprint) as lead ` +
          `${earlier.leadId}, which this buyer bought in allocation ${earlier.allocationId} from seller ` +
          `${earlier.sellerId} at ${earlier.at}, inside the ${facts.dedupeWindowDays}-day dedupe window`,
      };
  }
  return {
    outcome: 'reject',
    rule: 'duplicate-of-earlier-purchase',
    rationale:
      `None of the buyer's ${facts.earlierPurchases.length} purchases in the ${facts.dedupeWindowDays} days ` +
      `before this allocation has the phone or e-mail fingerprint of lead ${facts.allocation.leadId}`,
  };
}

function judgeFilterMismatch(facts: ReturnFacts, checks: RuleCheck[]): Verdict {
  const order = facts.orderAsOfAllocation;
  if (!order)
    return {
      outcome: 'await-seller',
      rationale: 'The order could not be replayed; an auditor must judge',
      checks: [
        ...checks,
        {
          rule: 'filter-mismatch-by-replay',
          outcome: 'not-applicable',
          detail: 'The order could not be replayed as of the allocation',
        },
      ],
    };
  const failing = failingFilters(order.filters, facts);
  // The delivery schedule is replayed too: the engine matched only inside its windows.
  const schedule = order.schedule;
  const outsideSchedule =
    schedule !== undefined && !new CompiledSchedule(schedule).isOpenAt(Date.parse(facts.allocation.at));
  if (outsideSchedule)
    failing.push(`schedule (allocated at ${facts.allocation.at}, outside ${describeSchedule(schedule)})`);
  if (failing.length > 0)
    return {
      outcome: 'accept',
      rule: 'filter-mismatch-by-replay',
      rationale: `Replayed as of the allocation, the lead fails the order's filter(s): ${failing.join(', ')}`,
    };
  return {
    outcome: 'reject',
    rule: 'filter-mismatch-by-replay',
    rationale:
      `Replayed as of the allocation at ${facts.allocation.at}, the lead's attributes satisfy every filter of the order` +
      (schedule === undefined
        ? ''
        : `, and the allocation was inside its schedule, ${describeSchedule(schedule)}`),
  };
}

/**
 * Each filter checked on its own with the engine's own predicate, so the rationale names the ones
 * that fail. The seller's quality is the one the lead was listed with, as the engine read it.
 */
function failingFilters(filters: OrderFilters, facts: ReturnFacts): string[] {
  const lead = filterableLead(facts.lead);
  const at = Date.parse(facts.allocation.at);
  // `requireSampleVerified` is not replayed here: whether the lead's batch had passed its
  // authenticity sample is a fact of the authenticity streams, which the engine read at the sale
  // (it never sells an unverified lead to such an order); the return's facts do not carry it.
  const { requireVerified, requireSampleVerified: _sampleVerified, ...checked } = filters;
  return Object.entries(checked)
    .filter(([key, value]) => {
      const single = {
        [key]: value,
        ...(key === 'requiredContacts' && requireVerified ? { requireVerified } : {}),
      };
      return !filtersAccept(single as OrderFilters, lead, at);
    })
    .map(([key]) => key);
}
