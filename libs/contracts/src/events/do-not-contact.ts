import { z } from 'zod';
import { defineEvent } from '../define-event.js';
import { EntityId, Instant, KeyedFingerprint, Text, Vertical } from '../value-types.js';

/**
 * Stream `dncList-<listId>`, written by the sellers app on an operator's request (the app that
 * holds the fingerprint keys): a do-not-contact list, its entries as keyed fingerprints only
 * (docs/architecture.md §4.3), and its end.
 */
const categories = ['dncList'];

/** The most fingerprints one `DoNotContactEntriesAdded` carries: a large list is several events. */
export const DNC_FINGERPRINTS_PER_EVENT = 5000;

export const DoNotContactListCreated = defineEvent({
  type: 'DoNotContactListCreated',
  schemaVersion: 1,
  categories,
  schema: z.strictObject({
    listId: EntityId,
    name: Text(200),
    /** The market it applies to; null: every market (a global list). */
    vertical: Vertical.nullable(),
    /** From this instant on the list no longer refuses leads (nor withdraws them). */
    expiresAt: Instant,
    createdBy: EntityId,
  }),
});

/**
 * Contacts added to a list, a chunk at a time: each contact's fingerprint under every fingerprint
 * key held when it was added (the current key first), never the phone or e-mail itself.
 */
export const DoNotContactEntriesAdded = defineEvent({
  type: 'DoNotContactEntriesAdded',
  schemaVersion: 1,
  categories,
  schema: z.strictObject({
    listId: EntityId,
    /** Contacts (phones and e-mails) of the request this chunk carries. */
    contacts: z.int().positive(),
    fingerprints: z.array(KeyedFingerprint).min(1).max(DNC_FINGERPRINTS_PER_EVENT),
  }),
});

/** The operator ended the list before its expiry: from `endedAt` on it applies no more. */
export const DoNotContactListEnded = defineEvent({
  type: 'DoNotContactListEnded',
  schemaVersion: 1,
  categories,
  schema: z.strictObject({ listId: EntityId, endedAt: Instant, endedBy: EntityId }),
});

export const doNotContactEvents = [
  DoNotContactListCreated,
  DoNotContactEntriesAdded,
  DoNotContactListEnded,
] as const;
