import { z } from 'zod';
import { CountryCode, Instant, RegionCode, SetOf, Slug, Vertical } from './value-types.js';

/*
 * The non-personal attributes of a lead: what buyers filter and bid on before purchase.
 * Shared by LeadListed (the values) and OrderPlaced (the filters on them).
 */

/*
 * Each vocabulary is listed once, here, as a const tuple: the schemas below, the HTTP DTOs and their
 * OpenAPI enums, and the sellers' upload format all use these lists rather than copies of them.
 */
export const GENDERS = ['female', 'male', 'non_binary'] as const;
export const EMPLOYMENT_STATUSES = ['employed', 'self_employed', 'unemployed', 'student', 'retired'] as const;
export const MARITAL_STATUSES = ['single', 'married', 'partnered', 'divorced', 'widowed'] as const;
/** Information-, marketing- and sales-qualified lead. */
export const LEAD_STAGES = ['IQL', 'MQL', 'SQL'] as const;
/** The contact fields a lead may carry, each present or not and verified or not. */
export const CONTACT_KINDS = ['phone', 'email'] as const;

export const Gender = z.enum(GENDERS);
export const Employment = z.enum(EMPLOYMENT_STATUSES);
export const MaritalStatus = z.enum(MARITAL_STATUSES);
export const LeadStage = z.enum(LEAD_STAGES);
export const ContactKind = z.enum(CONTACT_KINDS);

export const Age = z.int().min(18).max(120);

/** The start of a postal code, upper-case without spaces: `28`, `SW1A`, `1010`. */
export const POSTAL_PREFIX_PATTERN = /^[A-Z0-9]{1,10}$/;
export const PostalPrefix = z.string().regex(POSTAL_PREFIX_PATTERN, 'expected an upper-case postal prefix');

export const SourceChannel = Slug;
/** The seller's own campaign or affiliate that produced the lead, and a finer split of it. */
export const LeadSource = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'expected a source tag');
export const Interest = Slug;

const ContactStatus = z
  .strictObject({ present: z.boolean(), verified: z.boolean() })
  .refine((contact) => contact.present || !contact.verified, 'an absent contact cannot be verified');

export const LeadAttributes = z.strictObject({
  vertical: Vertical,
  age: Age,
  gender: Gender.optional(),
  country: CountryCode,
  region: RegionCode.optional(),
  postalPrefix: PostalPrefix.optional(),
  // Whether each contact exists and passed verification; the values themselves are encrypted.
  contacts: z.strictObject({ phone: ContactStatus, email: ContactStatus }),
  employment: Employment.optional(),
  maritalStatus: MaritalStatus.optional(),
  interests: SetOf(Interest, 50),
  stage: LeadStage,
  sourceChannel: SourceChannel,
  source: LeadSource.optional(),
  subSource: LeadSource.optional(),
  capturedAt: Instant,
});
