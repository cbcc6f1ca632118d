import { z } from 'zod';
import { defineEvent } from '../define-event.js';
import { CONTACT_KINDS, LeadAttributes } from '../lead-attributes.js';
import {
  CurrencyCode,
  EntityId,
  KeyedFingerprint,
  Instant,
  MinorUnits,
  Percent,
  Sha256Hex,
  Text,
} from '../value-types.js';

/** Stream `lead-<leadId>`, written by the sellers app. */
const categories = ['lead'];

/** Sold once, or to up to `maxSales` buyers at one uniform price. */
export const ListingExclusivity = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('exclusive') }),
  z.strictObject({ kind: z.literal('shared'), maxSales: z.int().min(2).max(10) }),
]);

export const QualityScore = z.strictObject({
  score: Percent,
  parts: z.strictObject({
    completeness: Percent,
    verification: Percent,
    freshness: Percent,
    sellerHistory: Percent,
  }),
});

/**
 * The consent record survives erasure of the lead, so it holds no clear personal data: the
 * capture IP is kept as a keyed fingerprint, which can be checked against a certificate's IP.
 */
export const ConsentRecord = z.strictObject({
  textVersion: Text(100),
  textHash: Sha256Hex,
  pageUrl: z.url({ protocol: /^https?$/ }),
  capturedAt: Instant,
  ipFingerprint: KeyedFingerprint.optional(),
  /** The companies named in the consent text. */
  sellersNamed: z.array(Text(200)).min(1).max(50),
  certificate: z
    .strictObject({ provider: z.enum(['TrustedForm', 'Jornaya']), reference: Text(500) })
    .optional(),
});

const base64Bytes = (bytes: number) =>
  z.base64().length(Math.ceil(bytes / 3) * 4, `expected ${bytes} bytes in base64`);

/**
 * Name, e-mail, phone, address, date of birth and capture IP, encrypted with a per-lead key held
 * outside the log: destroying the key erases the lead in every copy of the log (crypto-shredding).
 */
export const PersonalDataEnvelope = z.strictObject({
  algorithm: z.literal('AES-256-GCM'),
  keyId: EntityId,
  iv: base64Bytes(12),
  ciphertext: z.base64().min(4),
  tag: base64Bytes(16),
});

/**
 * Free text about a lead that may quote the person (a call log, a bounced address): sealed under
 * the lead's data key, so that erasing the lead erases the text too. Events written before texts
 * were sealed hold it in clear, and still read.
 */
export const LeadText = (max: number) => z.union([Text(max), PersonalDataEnvelope]);

export const LeadListed = defineEvent({
  type: 'LeadListed',
  schemaVersion: 1,
  categories,
  schema: z
    .strictObject({
      leadId: EntityId,
      sellerId: EntityId,
      batchId: EntityId,
      attributes: LeadAttributes,
      floor: MinorUnits,
      currency: CurrencyCode,
      exclusivity: ListingExclusivity,
      expiresAt: Instant,
      quality: QualityScore,
      /** Duplicate detection compares these across the exchange without seeing the contacts. */
      fingerprints: z.strictObject({
        phone: KeyedFingerprint.optional(),
        email: KeyedFingerprint.optional(),
      }),
      consent: ConsentRecord,
      personalData: PersonalDataEnvelope,
      /**
       * Set on a lead posted alone (POST /v1/leads; `batchId` is then the lead's own id): the
       * engine answers it with a LeadPostOutcome, honouring the ping it names if it can (§5.2).
       */
      posted: z.strictObject({ pingId: EntityId.optional() }).optional(),
    })
    .superRefine((lead, context) => {
      for (const kind of CONTACT_KINDS) {
        if (lead.attributes.contacts[kind].present && lead.fingerprints[kind] === undefined)
          context.addIssue({
            code: 'custom',
            path: ['fingerprints', kind],
            message: `a present ${kind} needs its fingerprint, or duplicates go undetected`,
          });
      }
    }),
});

export const LeadWithdrawn = defineEvent({
  type: 'LeadWithdrawn',
  schemaVersion: 1,
  categories,
  schema: z.strictObject({ leadId: EntityId, sellerId: EntityId, reason: Text(1000).optional() }),
});

/** The lead's key was destroyed; consent metadata and non-personal attributes remain. */
export const LeadErased = defineEvent({
  type: 'LeadErased',
  schemaVersion: 1,
  categories,
  schema: z.strictObject({
    leadId: EntityId,
    sellerId: EntityId,
    keyId: EntityId,
    reason: z.enum(['data_subject_request', 'consent_revoked', 'retention_expired']),
  }),
});

export const leadEvents = [LeadListed, LeadWithdrawn, LeadErased] as const;
