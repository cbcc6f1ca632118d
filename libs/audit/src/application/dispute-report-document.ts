import { describeSchedule, formatInstant, formatMoney, type DeliveryScheduleData } from '#lx/contracts';
import type { DisputeReport } from './dispute-report.js';
import { RETURN_REASONS } from '../domain/return-reasons.js';

/*
 * The dispute report as a document for the two parties: what was sold, to whom, at what price
 * and why; the return and both sides' evidence; the decision, its rule and who bore the money;
 * the log positions that prove each fact. One model, rendered to HTML and to PDF.
 */

export type Block =
  | { kind: 'paragraph'; text: string }
  | { kind: 'fields'; rows: [label: string, value: string][] }
  /** `widths`: points or '*' per column, for the PDF; HTML lays tables out by itself. */
  | { kind: 'table'; columns: string[]; rows: string[][]; widths?: (number | '*')[] };

export interface DocumentSection {
  title: string;
  blocks: Block[];
}

export interface ReportDocument {
  title: string;
  subtitle: string;
  sections: DocumentSection[];
}

const PRICING_RULES: Record<string, string> = {
  'exclusive-second-price':
    'Exclusive lead, second price: the winner pays the second-highest eligible bid, at least the floor.',
  'exclusive-floor': 'Exclusive lead with no other eligible bid above the floor: the winner pays the floor.',
  'shared-uniform-price':
    'Shared lead: the N highest bids win and each pays the same price, the (N+1)-th bid, at least the floor.',
  'shared-floor': 'Shared lead with no further eligible bid above the floor: each winner pays the floor.',
  'resting-lead-floor':
    'A resting lead met by a new order sells at its floor: every other eligible order had already been served.',
  'ping-price':
    'A posted lead that honoured its ping: it sold at the price the market had quoted the seller, above what the auction alone set.',
};

const RETURN_RULES: Record<string, string> = {
  'duplicate-of-earlier-purchase':
    "The log shows the buyer had already bought this person inside the market's dedupe window.",
  'filter-mismatch-by-replay':
    "The lead as listed was checked against the order's filters (and the time of the sale against its delivery schedule) as they stood at the allocation.",
  'return-window-elapsed': "The return was filed after the market's return window had closed.",
  'over-return-cap': "The buyer's returns exceed the share of purchases the market allows.",
  'seller-accepted': 'The seller accepted the return.',
  'auditor-decision': "An auditor decided on both parties' evidence.",
  'reason-not-returnable': 'The reason given is not a defect of the lead.',
};

const EVIDENCE_KINDS: Record<string, string> = {
  call_log: 'Call log',
  email_bounce: 'E-mail bounce',
  carrier_lookup: 'Carrier lookup',
  document: 'Document',
  note: 'Note',
};

const ERASURE_REASONS: Record<string, string> = {
  data_subject_request: "at the person's request",
  consent_revoked: 'after the person revoked consent',
  retention_expired: 'at the end of its retention period',
};

const yesNo = (value: boolean) => (value ? 'yes' : 'no');
const orDash = (value: unknown) =>
  value === undefined || value === null || value === '' ? '—' : String(value);

interface Evidence {
  kind: string;
  description: string;
  reference?: string;
}

/** The order's terms as they stood at the allocation (its last placement or amendment before it). */
function orderSection(report: DisputeReport, money: (minor: unknown) => string): DocumentSection {
  const title = 'The order as it stood';
  const order = report.orderAsOfAllocation;
  if (!order) return { title, blocks: [{ kind: 'paragraph', text: 'Not found in the log.' }] };
  const terms = order.terms as {
    bid?: number;
    maxBid?: number;
    quantity?: number;
    budget?: number;
    dailyCapCount?: number;
    dailyCapSpend?: number;
    hourlyCapCount?: number;
    hourlyCapSpend?: number;
    exclusivity?: string;
    schedule?: DeliveryScheduleData;
    filters?: Record<string, unknown>;
  };
  const caps = (count: number | undefined, spend: number | undefined, per: string) =>
    count === undefined && spend === undefined
      ? 'none'
      : [
          ...(count === undefined ? [] : [`${count} leads`]),
          ...(spend === undefined ? [] : [money(spend)]),
        ].join(' and ') + ` per ${per}`;
  const filters = Object.entries(terms.filters ?? {}).map(
    ([name, value]) => `${name}: ${Array.isArray(value) ? value.join(', ') : String(value)}`,
  );
  return {
    title,
    blocks: [
      {
        kind: 'fields',
        rows: [
          ['Terms recorded at log position', order.position],
          ['Bid', money(terms.bid)],
          ['Maximum bid', terms.maxBid === undefined ? 'none' : money(terms.maxBid)],
          ['Quantity', orDash(terms.quantity)],
          ['Budget', money(terms.budget)],
          ['Daily caps', caps(terms.dailyCapCount, terms.dailyCapSpend, 'day (UTC)')],
          ['Hourly caps', caps(terms.hourlyCapCount, terms.hourlyCapSpend, 'clock hour (UTC)')],
          [
            'Delivery schedule',
            terms.schedule ? describeSchedule(terms.schedule) : 'none: leads accepted at any time',
          ],
          ['Exclusivity', orDash(terms.exclusivity)],
          ['Filters', filters.length > 0 ? filters.join('; ') : 'none'],
        ],
      },
    ],
  };
}

export function disputeReportDocument(report: DisputeReport): ReportDocument {
  const money = (minor: unknown) =>
    typeof minor === 'number' ? formatMoney(minor, report.market.currency, report.market.locale) : '—';
  const nameOf = (id: unknown) =>
    id === 'system'
      ? 'the exchange (automatic rule)'
      : typeof id === 'string'
        ? (report.participants[id]?.name ?? id)
        : '—';
  const a = report.allocation as Record<string, unknown> & {
    competingBids?: { orderId: string; buyerId: string; effectiveBid: number }[];
  };

  const sections: DocumentSection[] = [
    { title: 'Finding', blocks: [{ kind: 'paragraph', text: report.finding }] },
    {
      title: 'The parties',
      blocks: [
        {
          kind: 'fields',
          rows: [
            ['Seller', nameOf(a.sellerId)],
            ['Buyer', nameOf(a.buyerId)],
            ...(report.decision
              ? ([['Decided by', nameOf(report.decision.decidedBy)]] as [string, string][])
              : []),
          ],
        },
      ],
    },
    {
      title: 'The sale',
      blocks: [
        {
          kind: 'fields',
          rows: [
            ['Lead', orDash(a.leadId)],
            ['Order', orDash(a.orderId)],
            ['Market', `${report.market.vertical} (${report.market.currency})`],
            ['Sold at', typeof a.at === 'string' ? formatInstant(a.at) : '—'],
            ['Price paid by the buyer', money(a.price)],
            ["Exchange's commission", money(a.commission)],
            ["Seller's proceeds", money(a.proceeds)],
            ['Pricing rule', PRICING_RULES[String(a.rule)] ?? orDash(a.rule)],
          ],
        },
      ],
    },
    {
      title: 'Competing bids',
      blocks: [competingBids(a, nameOf, money)],
    },
    orderSection(report, money),
    leadSection(report, money),
    consentSection(report),
    returnWindowSection(report),
    returnSection(report, nameOf),
    ...automaticRulesSection(report),
    decisionSection(report, a, nameOf, money),
    {
      title: 'Integrity of the log',
      blocks: [
        {
          kind: 'paragraph',
          text: report.integrity.ok
            ? `The hash chains of the ${report.integrity.streamsChecked} streams involved verify (${report.integrity.eventsChecked} events checked): no event was altered, removed or inserted.`
            : `The log does not verify at ${report.integrity.firstFailure.stream}@${report.integrity.firstFailure.revision}: ${report.integrity.firstFailure.reason}.`,
        },
      ],
    },
    {
      title: 'Appendix: evidence in the log',
      blocks: [
        {
          kind: 'paragraph',
          text: 'Every fact above is an event of the exchange\'s log. A log position ("commit/sequence") orders all events; each event\'s hash chains it to the one before it in its stream, so anyone holding the log can check these entries.',
        },
        {
          kind: 'table',
          columns: ['Position', 'Event', 'Stream', 'By', 'At', 'Hash'],
          rows: report.timeline.map((entry) => [
            entry.position,
            entry.type,
            `${entry.stream}@${entry.revision}`,
            nameOf(entry.actor),
            formatInstant(entry.occurredAt),
            `${entry.hash.slice(0, 16)}…`,
          ]),
        },
      ],
    },
  ];
  return {
    title: 'Dispute report',
    subtitle: `Allocation ${report.allocationId} · generated ${formatInstant(report.generatedAt)} from the event log`,
    sections,
  };
}

function competingBids(
  allocation: Record<string, unknown> & {
    competingBids?: { orderId: string; buyerId: string; effectiveBid: number }[];
  },
  nameOf: (id: unknown) => string,
  money: (minor: unknown) => string,
): Block {
  const bids = allocation.competingBids ?? [];
  const priceSetByLastBid =
    bids.length > 1 &&
    (allocation.rule === 'exclusive-second-price' || allocation.rule === 'shared-uniform-price');
  return {
    kind: 'table',
    columns: ['Rank', 'Buyer', 'Order', 'Effective bid', 'Outcome'],
    rows: bids.map((bid, index) => [
      String(index + 1),
      nameOf(bid.buyerId),
      bid.orderId,
      money(bid.effectiveBid),
      priceSetByLastBid && index === bids.length - 1
        ? 'sets the price'
        : bid.orderId === allocation.orderId
          ? 'won (this allocation)'
          : 'won',
    ]),
  };
}

function leadSection(report: DisputeReport, money: (minor: unknown) => string): DocumentSection {
  const listing = report.lead.listing as {
    attributes?: Record<string, unknown> & {
      contacts?: {
        phone: { present: boolean; verified: boolean };
        email: { present: boolean; verified: boolean };
      };
      interests?: string[];
    };
    floor?: number;
    exclusivity?: { kind: string; maxSales?: number };
    quality?: { score: number; parts: Record<string, number> };
  } | null;
  if (!listing)
    return { title: 'The lead as listed', blocks: [{ kind: 'paragraph', text: 'Not found in the log.' }] };
  const attributes = listing.attributes ?? {};
  const personalData = report.lead.erasedAt
    ? `Erased on ${formatInstant(report.lead.erasedAt)}${report.lead.erasureReason ? ` ${ERASURE_REASONS[report.lead.erasureReason] ?? ''}` : ''}: the key is destroyed and no copy of the log can show it again.`
    : 'Encrypted under the lead’s own key; never part of a report.';
  const contacts = attributes.contacts;
  const quality = listing.quality;
  return {
    title: 'The lead as listed',
    blocks: [
      {
        kind: 'fields',
        rows: [
          ['Age', orDash(attributes.age)],
          ['Gender', orDash(attributes.gender)],
          ['Country and region', [attributes.country, attributes.region].filter(Boolean).join(', ') || '—'],
          ['Employment', orDash(attributes.employment)],
          ['Marital status', orDash(attributes.maritalStatus)],
          ['Interests', attributes.interests?.length ? attributes.interests.join(', ') : '—'],
          ['Stage and source', `${orDash(attributes.stage)}, ${orDash(attributes.sourceChannel)}`],
          [
            'Captured',
            typeof attributes.capturedAt === 'string' ? formatInstant(attributes.capturedAt) : '—',
          ],
          ['Floor', money(listing.floor)],
          [
            'Exclusivity',
            listing.exclusivity?.kind === 'shared'
              ? `shared, up to ${listing.exclusivity.maxSales} buyers`
              : orDash(listing.exclusivity?.kind),
          ],
          ['Quality score', quality ? `${quality.score} / 100` : '—'],
          ['Personal data', personalData],
        ],
      },
      {
        kind: 'table',
        columns: ['Verification flag', 'Value', 'What it means'],
        widths: [110, 45, '*'],
        rows: [
          ...(contacts
            ? [
                ['Phone given', yesNo(contacts.phone.present), 'The seller supplied a phone number.'],
                [
                  'Phone verified',
                  yesNo(contacts.phone.verified),
                  'The number is a valid number of its country (libphonenumber) and was stored in E.164 form.',
                ],
                ['E-mail given', yesNo(contacts.email.present), 'The seller supplied an e-mail address.'],
                [
                  'E-mail verified',
                  yesNo(contacts.email.verified),
                  'The address is well formed and not at a disposable-mail domain.',
                ],
              ]
            : []),
          ...(quality
            ? [
                [
                  'Completeness',
                  `${quality.parts.completeness}`,
                  'How many contact fields and attributes are filled.',
                ],
                ['Verification', `${quality.parts.verification}`, 'How many of the given contacts verified.'],
                [
                  'Freshness',
                  `${quality.parts.freshness}`,
                  'How recently the lead was captured when it was listed.',
                ],
                [
                  'Seller history',
                  `${quality.parts.sellerHistory}`,
                  "The seller's record with buyers: sales, accepted returns, reported conversions.",
                ],
              ]
            : []),
        ],
      },
    ],
  };
}

function consentSection(report: DisputeReport): DocumentSection {
  const consent = (report.lead.listing as { consent?: Record<string, unknown> } | null)?.consent as
    | {
        textVersion: string;
        textHash: string;
        pageUrl: string;
        capturedAt: string;
        ipFingerprint?: string;
        sellersNamed: string[];
        certificate?: { provider: string; reference: string };
      }
    | undefined;
  if (!consent)
    return {
      title: 'Consent record',
      blocks: [{ kind: 'paragraph', text: 'No consent record in the log.' }],
    };
  return {
    title: 'Consent record',
    blocks: [
      {
        kind: 'table',
        columns: ['Item', 'Recorded'],
        widths: [140, '*'],
        rows: [
          ['Text version', consent.textVersion],
          ['Text fingerprint (SHA-256)', `${consent.textHash.slice(0, 16)}…`],
          ['Page', consent.pageUrl],
          ['Given at', formatInstant(consent.capturedAt)],
          ['Companies named', consent.sellersNamed.join('; ')],
          [
            'Certificate',
            consent.certificate ? `${consent.certificate.provider} ${consent.certificate.reference}` : 'none',
          ],
          ['Capture IP', consent.ipFingerprint ? 'kept as a keyed fingerprint only' : 'not recorded'],
        ],
      },
    ],
  };
}

function returnWindowSection(report: DisputeReport): DocumentSection {
  const window = report.returnWindow;
  const hours = Number.isInteger(window.hours) ? `${window.hours} h` : `${Math.round(window.hours * 3600)} s`;
  return {
    title: 'Return window',
    blocks: [
      {
        kind: 'fields',
        rows: [
          ['Length', `${hours} (${window.source})`],
          ['Opened', formatInstant(window.opensAt)],
          ['Closes', formatInstant(window.closesAt)],
          ['Return filed', window.requestedAt ? formatInstant(window.requestedAt) : 'no return was filed'],
          ['Filed in time', window.filedInTime === null ? '—' : yesNo(window.filedInTime)],
        ],
      },
    ],
  };
}

function evidenceTable(evidence: unknown): Block {
  const items = Array.isArray(evidence) ? (evidence as Evidence[]) : [];
  return items.length
    ? {
        kind: 'table',
        columns: ['Evidence', 'Description', 'Reference'],
        widths: [90, '*', 110],
        rows: items.map((item) => [
          EVIDENCE_KINDS[item.kind] ?? item.kind,
          item.description,
          orDash(item.reference),
        ]),
      }
    : { kind: 'paragraph', text: 'No evidence attached.' };
}

function returnSection(report: DisputeReport, nameOf: (id: unknown) => string): DocumentSection {
  const request = report.returnRequest;
  if (!request)
    return { title: 'Return', blocks: [{ kind: 'paragraph', text: 'The buyer did not return this lead.' }] };
  const response = report.sellerResponse;
  const blocks: Block[] = [
    {
      kind: 'fields',
      rows: [
        ['Reason', RETURN_REASONS[String(request.reason)] ?? String(request.reason)],
        ["Buyer's statement", orDash(request.text)],
        ['Replacement asked', yesNo(request.replace === true)],
        ['Log position', request.position],
      ],
    },
    evidenceTable(request.evidence),
  ];
  if (response)
    blocks.push(
      {
        kind: 'fields',
        rows: [
          ["Seller's answer", response.answer === 'accept' ? 'accepts the return' : 'contests the return'],
          ["Seller's statement", orDash(response.statement)],
          ['Log position', response.position],
        ],
      },
      evidenceTable(response.evidence),
    );
  else blocks.push({ kind: 'paragraph', text: 'The seller did not answer.' });
  if (report.escalation)
    blocks.push({
      kind: 'fields',
      rows: [
        ['Escalated by', nameOf(report.escalation.escalatedBy)],
        ['Why', orDash(report.escalation.reason)],
        ['Log position', report.escalation.position],
      ],
    });
  return { title: 'Return and evidence', blocks };
}

const RULE_OUTCOMES: Record<string, string> = {
  passed: 'holds; did not decide',
  'not-applicable': 'nothing to check',
  escalated: 'handed to an auditor',
  accepted: 'accepted the return',
  rejected: 'rejected the return',
};

/** The automatic rules the exchange applied to the return, before any person decided. */
function automaticRulesSection(report: DisputeReport): DocumentSection[] {
  if (!report.returnRequest) return [];
  return [
    {
      title: 'Automatic rules applied',
      blocks:
        report.automaticRules.length === 0
          ? [{ kind: 'paragraph', text: 'No automatic rule is recorded for this return.' }]
          : [
              {
                kind: 'table',
                columns: ['Rule', 'Result', 'What it found', 'Position'],
                rows: report.automaticRules.map((applied) => [
                  applied.rule,
                  RULE_OUTCOMES[applied.outcome] ?? applied.outcome,
                  applied.detail,
                  applied.position,
                ]),
                widths: [110, 80, '*', 60],
              },
            ],
    },
  ];
}

function decisionSection(
  report: DisputeReport,
  allocation: Record<string, unknown>,
  nameOf: (id: unknown) => string,
  money: (minor: unknown) => string,
): DocumentSection {
  const decision = report.decision;
  if (!decision) {
    const text = report.returnRequest
      ? 'Not decided yet: the price stays held until the return is decided.'
      : report.settlement
        ? `No return: the sale was settled (${String(report.settlement.outcome)}) at log position ${report.settlement.position}; the seller keeps ${money(allocation.proceeds)}.`
        : 'No return so far; the sale settles when the return window closes.';
    return { title: 'Decision and money', blocks: [{ kind: 'paragraph', text }] };
  }
  const rows: [string, string][] = [
    ['Outcome', decision.outcome === 'accepted' ? 'return accepted' : 'return rejected'],
    ['Rule', `${decision.rule}: ${RETURN_RULES[decision.rule] ?? ''}`.trim()],
    ['Decided by', nameOf(decision.decidedBy)],
    ['Rationale', decision.rationale],
    ['Log position', decision.position],
  ];
  if (decision.outcome === 'accepted') {
    rows.push(
      [
        'Refund to the buyer',
        report.refund
          ? `${money(report.refund.amount)}, credited to ${report.refund.creditedTo === 'order_budget' ? "the order's budget (for a replacement)" : 'the available balance'} at log position ${report.refund.position}`
          : `${money(allocation.price)}, on its way to the buyer's account`,
      ],
      ['Borne by the seller', `${money(allocation.proceeds)} of proceeds taken back`],
      ['Borne by the exchange', `${money(allocation.commission)} of commission reversed`],
    );
  } else
    rows.push([
      'Money',
      `No refund: the sale stands. The seller keeps ${money(allocation.proceeds)}; the exchange keeps ${money(allocation.commission)}.`,
    ]);
  return { title: 'Decision and money', blocks: [{ kind: 'fields', rows }] };
}
