import { z } from 'zod';
import { CountryCode, Instant, RegionCode, SetOf, Slug, Vertical } from './value-types.js';

/*
 * The non-personal attributes of a lead: what buyers filter and bid on before purchase.
 * Shared by LeadListed (the values) and OrderPlaced (the filters on them).
 */

export const Gender = z.enum(['female', 'male', 'non_binary']);
export const Employment = z.enum(['employed', 'self_employed', 'unemployed', 'student', 'retired']);
export const MaritalStatus = z.enum(['single', 'married', 'partnered', 'divorced', 'widowed']);
export const LeadStage = z.enum(['IQL', 'MQL', 'SQL']);
export const ContactKind = z.enum(['phone', 'email']);

export const Age = z.int().min(18).max(120);

/** The start of a postal code, upper-case without spaces: `28`, `SW1A`, `1010`. */
export const PostalPrefix = z.string().regex(/^[A-Z0-9]{1,10}$/, 'expected an upper-case postal prefix');

export const SourceChannel = Slug;
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
  capturedAt: Instant,
});
