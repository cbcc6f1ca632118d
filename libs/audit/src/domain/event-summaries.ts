/*
 * One line in words for the events of the streams an auditor reads least easily from their data:
 * pings and posted leads' outcomes (docs/architecture.md §5.2), do-not-contact lists (§4.3) and
 * authenticity samples (§4.1). Pure. Never personal data: a list's contacts are counted, never
 * shown, and a check's evidence (sealed) is not quoted.
 */

type Data = Record<string, unknown>;

const text = (value: unknown): string => (typeof value === 'string' ? value : String(value ?? ''));
const count = (value: unknown): number => (typeof value === 'number' ? value : 0);
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
/** Minor units as the currency's major units (two decimals: RUB, EUR). */
const money = (minor: unknown, currency: unknown) => `${(count(minor) / 100).toFixed(2)} ${text(currency)}`;
const market = (vertical: unknown) => (vertical ? `the ${text(vertical)} market` : 'every market');

const SUMMARIES: Record<string, (data: Data) => string> = {
  DoNotContactListCreated: (data) =>
    `Do-not-contact list "${text(data.name)}" created for ${market(data.vertical)}, in force until ${text(data.expiresAt)}`,
  DoNotContactEntriesAdded: (data) => {
    const fingerprints = Array.isArray(data.fingerprints)
      ? data.fingerprints.length
      : count(data.fingerprints);
    return `${plural(count(data.contacts), 'contact')} added to the list as ${plural(fingerprints, 'keyed fingerprint')} (the phones and e-mails themselves are never kept)`;
  },
  DoNotContactListEnded: (data) =>
    `Do-not-contact list ended at ${text(data.endedAt)}: from then on it refuses and withdraws nothing`,
  PingReceived: (data) => {
    const attributes = (data.attributes ?? {}) as Data;
    const exclusivity = (data.exclusivity ?? {}) as Data;
    const quality = ((data.quality ?? {}) as Data).score;
    return `Ping: what would ${market(attributes.vertical)} pay now for ${exclusivity.kind === 'shared' ? 'a shared' : 'an exclusive'} lead at a floor of ${money(data.floor, data.currency)} (quality ${count(quality)})`;
  },
  PingAnswered: (data) =>
    data.outcome === 'bid'
      ? `Ping answered: ${plural(count(data.sales), 'buyer')} would pay ${money(data.price, data.currency)} each, if listed by ${text(data.validUntil)}`
      : `Ping answered: no bid (${text(data.reason).replace(/_/g, ' ')})`,
  LeadPostOutcome: (data) => {
    const sales = Array.isArray(data.sales) ? (data.sales as Data[]) : [];
    const outcome =
      data.outcome === 'sold'
        ? `Posted lead sold: ${plural(sales.length, 'sale')}, ${money(
            sales.reduce((total, sale) => total + count(sale.price), 0),
            data.currency,
          )} in all`
        : data.outcome === 'resting'
          ? 'Posted lead resting: no order bought it yet'
          : `Posted lead not listed (${text(data.reason).replace(/_/g, ' ')})`;
    const ping = data.ping as Data | undefined;
    if (!ping) return outcome;
    return ping.honoured
      ? `${outcome}; its ping was honoured at ${money(ping.price, data.currency)}`
      : `${outcome}; its ping was not honoured (${text(ping.refusal).replace(/_/g, ' ')})`;
  },
  LeadPostRejected: (data) =>
    `Posted lead rejected by verification: ${(Array.isArray(data.reasons) ? data.reasons : []).join(', ')}`,
  AuthenticitySampleDrawn: (data) =>
    `Authenticity sample drawn: ${plural(Array.isArray(data.leadIds) ? data.leadIds.length : 0, 'lead')} of the batch's ${count(data.population)} accepted (rule ${text(data.rule)}: ${count(data.samplePercent)} %, at least ${count(data.sampleMin)}; held above ${count(data.holdThresholdPercent)} % failures)`,
  AuthenticityCheckAnswered: (data) =>
    `Contact check answered: ${text(data.outcome)}, by ${((data.answeredBy ?? {}) as Data).kind === 'provider' ? 'a verification provider' : 'verification staff'}`,
  AuthenticitySampleHeld: (data) =>
    `Batch held from sale: ${count(data.failed)} of ${count(data.sampled)} checks failed, above ${count(data.holdThresholdPercent)} %`,
  AuthenticityHoldDecided: (data) =>
    data.decision === 'released'
      ? 'Hold decided: the batch is back on sale'
      : 'Hold decided: the batch is withdrawn from the market for good',
  AuthenticitySamplePassed: (data) =>
    `Authenticity sample passed: ${count(data.confirmed)} confirmed, ${count(data.failed)} failed of ${count(data.sampled)} (within ${count(data.holdThresholdPercent)} %)`,
};

/** The event in one line, or null for the events whose data reads well enough as it is. */
export function summariseEvent(type: string, data: unknown): string | null {
  if (!Object.hasOwn(SUMMARIES, type) || !data || typeof data !== 'object') return null;
  return SUMMARIES[type]!(data as Data);
}
