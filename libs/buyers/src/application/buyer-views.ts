import type {
  DeliveryScheduleData,
  EventData,
  LeadListed,
  ORDER_EXCLUSIVITIES,
  SaleReference,
} from '#lx/contracts';
import type { LeadAttributesData } from '../domain/lead-filters.js';
import type { SchedulePreview } from '../domain/schedule-preview.js';
import type { PurchaseReport } from '../domain/purchase-report.js';
import type { PersonalData } from './personal-data-reader.js';

/*
 * What the buyers' queries and delivery commands answer and carry, as the read models and the
 * delivery records hold it. Declared here, with the messages (buyer-reads.ts, delivery-commands.ts);
 * the infrastructure reads and writes them.
 */

/** What a preview is asked with besides the vertical and the filters. */
export interface OrderPreviewOptions {
  bid?: number;
  exclusivity?: (typeof ORDER_EXCLUSIVITIES)[number];
  /** The order's delivery schedule: the preview says whether it would match now. */
  schedule?: DeliveryScheduleData;
  now: Date;
}

export type DeliveryState = 'pending' | 'delivered' | 'dead';

export interface DeliveryStatus {
  allocationId: string;
  state: DeliveryState;
  attempts: number;
  lastError: string | null;
  updatedAt: string;
  /** HTTP status of the last attempt, when there was a response. */
  lastStatus: number | null;
}

/** What a delivery job carries: ids and prices only. Personal data is decrypted at send time. */
export interface WebhookJob extends SaleReference {
  currency: string;
  price: number;
  allocatedAt: string;
}

export type PersonalDataStatus = 'available' | 'erased' | 'unavailable';

export interface LeadDisclosure {
  attributes: EventData<typeof LeadListed>['attributes'] | null;
  consent: EventData<typeof LeadListed>['consent'] | null;
  personalData: PersonalData | null;
  personalDataStatus: PersonalDataStatus;
}

export interface OrderPreview {
  vertical: string;
  /** Resting leads that pass every filter (and the exclusivity wanted). */
  matching: number;
  /** Of those, the ones whose floor the bid meets: what the order would buy on arrival. */
  matchingAtOrBelowBid: number | null;
  floors: { currency: string; min: number; median: number; max: number } | null;
  /** How many of them rest at which floors: up to ten bars (HISTOGRAM_BARS), low to high, none empty. */
  floorHistogram: FloorBar[];
  exclusive: number;
  shared: number;
  /** Null without a schedule; else whether the order would match now, and when that changes. */
  schedule: SchedulePreview | null;
}

export type { SchedulePreview };

/** Leads whose floor is in [from, to] (minor units; from = to when the bar is one floor). */
export interface FloorBar {
  from: number;
  to: number;
  leads: number;
}

export interface DepthSegment {
  region: string | null;
  ageBand: string;
  contacts: string;
  leads: number;
}

export interface MarketDepth {
  vertical: string;
  segments: DepthSegment[];
  /** Segments left out because fewer than MIN_SEGMENT_COUNT leads would single people out. */
  suppressedSegments: number;
  minimumSegmentCount: number;
}

/** One allocation as its buyer sees it, without personal data. */
export interface PurchaseView {
  allocationId: string;
  leadId: string;
  orderId: string;
  sellerId: string;
  vertical: string;
  currency: string;
  price: number;
  rule: string;
  allocatedAt: string;
  attributes: LeadAttributesData | null;
  quality: number | null;
  returnStatus: string | null;
  converted: boolean;
  /** The allocation's place in the log: `<commit>/<prepare>`, the pull API's cursor. */
  position: string;
}

export interface PurchaseListFilter {
  orderId?: string;
  region?: string;
  stage?: string;
  allocatedFrom?: string;
  allocatedTo?: string;
  /** Exclusive log position (`commit`, `prepare`) to continue after. */
  after?: { commit: string; prepare: string } | null;
}

export interface ReturnView {
  allocationId: string;
  orderId: string;
  status: string;
  reason: string;
  text: string | null;
  evidence: unknown[];
  replace: boolean;
  /**
   * What became of the replacement asked for: `pending` (refund back on the order, the engine has
   * not answered yet), `granted` (the order may buy one more lead), `ordered` (the order had closed:
   * a one-lead order on its terms, `replacementOrderId`, funded by the refund), `unavailable` (the
   * order was cancelled or expired; the price went to the available balance).
   */
  replacement: 'pending' | 'granted' | 'ordered' | 'unavailable' | null;
  replacementOrderId: string | null;
  requestedAt: string;
  sellerResponse: unknown;
  escalation: unknown;
  decision: { outcome: string; decidedBy: string; rule: string; rationale: string; at: string } | null;
  updatedAt: string;
}

export interface OrderProgress {
  leadsBought: number;
  spend: number;
}

/** One UTC day of one currency's purchases. */
export interface DailyPurchases {
  day: string;
  currency: string;
  leadsBought: number;
  spend: number;
  conversions: number;
}

export interface CurrencyReport extends PurchaseReport {
  currency: string;
}
