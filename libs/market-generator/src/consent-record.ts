import {
  CONSENT_PARTNERS,
  CONSENT_TEXTS,
  LANDING_SITES,
  UTM_SOURCES,
  type ConsentCertificateProvider,
  type Country,
  type SourceChannel,
  type Vertical,
} from './reference-data.js';
import type { SeededRandom, Weighted } from './seeded-random.js';
import type { LeadRow } from './upload-format.js';

export type ConsentFields = Pick<
  LeadRow,
  | 'consent_text_version'
  | 'consent_text'
  | 'consent_page_url'
  | 'consent_captured_at'
  | 'consent_sellers_named'
  | 'consent_certificate_provider'
  | 'consent_certificate_ref'
>;

export const CONSENT_FIELD_NAMES: readonly (keyof ConsentFields)[] = [
  'consent_text_version',
  'consent_text',
  'consent_page_url',
  'consent_captured_at',
  'consent_sellers_named',
  'consent_certificate_provider',
  'consent_certificate_ref',
];

const UTM_MEDIUM: Readonly<Record<SourceChannel, string>> = {
  search: 'cpc',
  social: 'social',
  display: 'display',
  affiliate: 'affiliate',
  email: 'email',
  referral: 'referral',
};

const CERTIFICATES: readonly Weighted<ConsentCertificateProvider | undefined>[] = [
  [undefined, 45],
  ['trustedform', 33],
  ['jornaya', 22],
];

/** The consent record of one form submission: the text and page the person saw, and when. */
export function drawConsent(
  rng: SeededRandom,
  vertical: Vertical,
  country: Country,
  channel: SourceChannel,
  capturedAt: Date,
): ConsentFields {
  const site = LANDING_SITES[vertical][country];
  const { version, text } = rng.pick(CONSENT_TEXTS[country]);
  const sellers = [site.sellerName];
  if (rng.chance(0.4)) sellers.push(rng.pick(CONSENT_PARTNERS[country]));
  const campaign = rng.pick(site.campaigns);
  const query = rng.chance(0.8)
    ? `?utm_source=${rng.pick(UTM_SOURCES[country][channel])}&utm_medium=${UTM_MEDIUM[channel]}&utm_campaign=${campaign}`
    : '';
  const provider = rng.weighted(CERTIFICATES);
  return {
    consent_text_version: version,
    consent_text: consentText(text, sellers),
    consent_page_url: `https://${site.domain}/${campaign.replace(/_/g, '-')}${query}`,
    consent_captured_at: new Date(capturedAt.getTime() - rng.int(0, 45_000)).toISOString(),
    consent_sellers_named: sellers,
    consent_certificate_provider: provider,
    consent_certificate_ref: provider && certificateReference(rng, provider),
  };
}

// Few texts × few seller combinations: share the long strings instead of rebuilding one per row.
const consentTextCache = new Map<string, string>();

function consentText(template: string, sellers: string[]): string {
  const key = `${template}\u0000${sellers.join('|')}`;
  let text = consentTextCache.get(key);
  if (text === undefined) {
    text = template.replace('{seller}', sellers.join(', '));
    consentTextCache.set(key, text);
  }
  return text;
}

function certificateReference(rng: SeededRandom, provider: ConsentCertificateProvider): string {
  if (provider === 'jornaya') return rng.uuid().toUpperCase();
  const hex = Array.from({ length: 5 }, () => rng.uint32().toString(16).padStart(8, '0')).join('');
  return `https://cert.trustedform.com/${hex}`;
}
