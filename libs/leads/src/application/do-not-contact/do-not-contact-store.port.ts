import type { DoNotContactScope } from '../../domain/do-not-contact.js';

/** A list as the operator sees it: its terms and how many contacts and fingerprints it holds. */
export interface DoNotContactListView {
  listId: string;
  name: string;
  vertical: string | null;
  expiresAt: Date;
  endedAt: Date | null;
  createdAt: Date;
  createdBy: string;
  /** Contacts received (a contact sent twice counts twice). */
  contacts: number;
  /** Distinct fingerprints held (each contact under every fingerprint key held when it was added). */
  fingerprints: number;
}

/**
 * The do-not-contact lists as the sellers' context checks them: tables derived from the
 * `dncList-*` events by the do-not-contact process, so verification looks a contact up in one
 * query instead of reading streams (VerificationStore.listUnlessRefused, in the listing's own
 * transaction).
 */
export interface DoNotContactStore {
  recordList(
    list: { listId: string; name: string; vertical: string | null; expiresAt: Date; createdBy: string },
    createdAt: Date,
  ): Promise<void>;
  /**
   * Adds a chunk's fingerprints (once per event id). Waits for listings being written (as adding a
   * suppression does): once it returns, a lead with these fingerprints is either listed already
   * (and found by the process) or refused as it is listed.
   */
  recordEntries(
    eventId: string,
    listId: string,
    contacts: number,
    fingerprints: readonly string[],
  ): Promise<void>;
  recordEnd(listId: string, endedAt: Date): Promise<void>;
  scope(listId: string): Promise<DoNotContactScope | null>;
  list(listId: string): Promise<DoNotContactListView | null>;
  /** Newest first. */
  lists(limit: number, offset: number): Promise<DoNotContactListView[]>;
}
