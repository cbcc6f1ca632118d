import type pg from 'pg';
import { runMigrationsOnPool, type SqlMigration } from '#lx/event-store';

/** Write-side tables of the sellers' context (read models live in their projection schema). */
const migrations: SqlMigration[] = [
  {
    id: '001-verification',
    sql: `
CREATE TABLE lx_batch_verification (
  batch_id           text PRIMARY KEY,
  seller_id          text NOT NULL,
  status             text NOT NULL,
  terms              jsonb NOT NULL,
  dedupe_window_days int NOT NULL,
  submitted_at       timestamptz NOT NULL,
  seller_history     jsonb NOT NULL,
  total_rows         int NOT NULL DEFAULT 0,
  chunk_count        int NOT NULL DEFAULT 0,
  next_chunk         int NOT NULL DEFAULT 0,
  processed          int NOT NULL DEFAULT 0,
  accepted           int NOT NULL DEFAULT 0,
  rejected           int NOT NULL DEFAULT 0,
  reasons            jsonb NOT NULL DEFAULT '{}'
);
-- Sealed with the batch's staging key; dropped with the key once the batch is verified.
CREATE TABLE lx_batch_staged_chunks (
  batch_id text NOT NULL,
  chunk    int  NOT NULL,
  rows     int  NOT NULL,
  sealed   bytea NOT NULL,
  PRIMARY KEY (batch_id, chunk)
);
-- Who holds a contact fingerprint in a market: the newest lead listed with it.
CREATE TABLE lx_fingerprint_claims (
  vertical    text NOT NULL,
  fingerprint text NOT NULL,
  lead_id     text NOT NULL,
  batch_id    text NOT NULL,
  claimed_at  timestamptz NOT NULL,
  PRIMARY KEY (vertical, fingerprint)
);
-- Do-not-contact and revoked consent, as keyed fingerprints only.
CREATE TABLE lx_suppressions (
  fingerprint text PRIMARY KEY,
  reason      text NOT NULL,
  added_at    timestamptz NOT NULL DEFAULT now()
);`,
  },
  {
    // Who is receiving an upload, until when: a receiver that died stops renewing, and its
    // Idempotency-Key is free again once the lease runs out (no lease: from before, free).
    id: '002-receiving-lease',
    sql: `
ALTER TABLE lx_batch_verification ADD COLUMN receiver text, ADD COLUMN lease_until timestamptz;`,
  },
  {
    // A revocation finds the leads claiming a person's fingerprints in every market; an erasure drops their claims.
    id: '003-fingerprint-claims-lookups',
    sql: `
CREATE INDEX lx_fingerprint_claims_by_fingerprint ON lx_fingerprint_claims (fingerprint);
CREATE INDEX lx_fingerprint_claims_by_lead ON lx_fingerprint_claims (lead_id);`,
  },
  {
    // The market's consent limit as the batch was submitted (null: none), and the do-not-contact
    // lists: derived from the dncList-* events by the sellers' do-not-contact process (§4.3), so
    // they can be dropped and rebuilt from the log (with that subscription's checkpoint).
    id: '004-consent-limit-and-do-not-contact',
    sql: `
ALTER TABLE lx_batch_verification ADD COLUMN consent_max_age_days int;
CREATE TABLE lx_dnc_lists (
  list_id    text PRIMARY KEY,
  name       text NOT NULL,
  vertical   text,
  expires_at timestamptz NOT NULL,
  ended_at   timestamptz,
  created_at timestamptz NOT NULL,
  created_by text NOT NULL
);
-- One row per DoNotContactEntriesAdded: a redelivered event is counted once.
CREATE TABLE lx_dnc_chunks (
  event_id text PRIMARY KEY,
  list_id  text NOT NULL,
  contacts int  NOT NULL
);
CREATE INDEX lx_dnc_chunks_by_list ON lx_dnc_chunks (list_id);
CREATE TABLE lx_dnc_entries (
  fingerprint text NOT NULL,
  list_id     text NOT NULL,
  PRIMARY KEY (fingerprint, list_id)
);
CREATE INDEX lx_dnc_entries_by_list ON lx_dnc_entries (list_id);`,
  },
  {
    // The engines' answers to posted leads and pings, as the sellers app read them from the log
    // (docs/architecture.md §5.2), and how far it read: rebuilt by reading the log again if lost.
    id: '005-realtime-answers',
    sql: `
CREATE TABLE lx_realtime_answers (
  kind      text NOT NULL,
  id        text NOT NULL,
  seller_id text NOT NULL,
  answer    jsonb NOT NULL,
  PRIMARY KEY (kind, id)
);
CREATE TABLE lx_realtime_answers_read (
  name    text PRIMARY KEY,
  commit  numeric(20,0) NOT NULL,
  prepare numeric(20,0) NOT NULL
);`,
  },
];

export async function migrateLeadTables(pool: pg.Pool): Promise<void> {
  await runMigrationsOnPool(pool, migrations, 'lx_leads_migrations');
}
