import type pg from 'pg';
import { inTransaction } from './in-transaction.js';
import { LeadListed, type EventData } from '#lx/contracts';
import type { EventStore } from '#lx/event-store';
import type {
  DoNotContactListView,
  DoNotContactStore,
} from '../application/do-not-contact/do-not-contact-store.port.js';
import type { DoNotContactScope } from '../domain/do-not-contact.js';
import { SUPPRESSION_LOCK } from './postgres-verification-store.js';
import { SELLER_READ_MODEL as RM } from './read-model/seller-read-model.projection.js';
import type { LeadOnSale } from '../application/do-not-contact/do-not-contact-process.js';

interface ListRow {
  list_id: string;
  name: string;
  vertical: string | null;
  expires_at: Date;
  ended_at: Date | null;
  created_at: Date;
  created_by: string;
  contacts: string;
  fingerprints: string;
}

const LIST_COLUMNS = `l.*,
  (SELECT coalesce(sum(contacts), 0) FROM lx_dnc_chunks c WHERE c.list_id = l.list_id) AS contacts,
  (SELECT count(*) FROM lx_dnc_entries e WHERE e.list_id = l.list_id) AS fingerprints`;

/** The do-not-contact tables of the sellers' write side (leads-migrations 004). */
export class PostgresDoNotContactStore implements DoNotContactStore {
  constructor(
    private readonly pool: pg.Pool,
    private readonly store: EventStore,
  ) {}

  async recordList(
    list: { listId: string; name: string; vertical: string | null; expiresAt: Date; createdBy: string },
    createdAt: Date,
  ): Promise<void> {
    await this.pool.query(
      `INSERT INTO lx_dnc_lists (list_id, name, vertical, expires_at, created_at, created_by)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
      [list.listId, list.name, list.vertical, list.expiresAt, createdAt, list.createdBy],
    );
  }

  async recordEntries(
    eventId: string,
    listId: string,
    contacts: number,
    fingerprints: readonly string[],
  ): Promise<void> {
    await inTransaction(this.pool, async (client) => {
      // Exclusive against listings being written (they hold it shared while they check and append).
      await client.query(`SELECT pg_advisory_xact_lock(${SUPPRESSION_LOCK})`);
      const { rowCount } = await client.query(
        `INSERT INTO lx_dnc_chunks (event_id, list_id, contacts) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
        [eventId, listId, contacts],
      );
      if (rowCount)
        await client.query(
          `INSERT INTO lx_dnc_entries (fingerprint, list_id) SELECT unnest($1::text[]), $2 ON CONFLICT DO NOTHING`,
          [fingerprints, listId],
        );
    });
  }

  async recordEnd(listId: string, endedAt: Date): Promise<void> {
    await this.pool.query('UPDATE lx_dnc_lists SET ended_at = $2 WHERE list_id = $1 AND ended_at IS NULL', [
      listId,
      endedAt,
    ]);
  }

  async scope(listId: string): Promise<DoNotContactScope | null> {
    const { rows } = await this.pool.query<ListRow>('SELECT * FROM lx_dnc_lists WHERE list_id = $1', [
      listId,
    ]);
    const row = rows[0];
    return row ? { vertical: row.vertical, expiresAt: row.expires_at, endedAt: row.ended_at } : null;
  }

  async list(listId: string): Promise<DoNotContactListView | null> {
    const { rows } = await this.pool.query<ListRow>(
      `SELECT ${LIST_COLUMNS} FROM lx_dnc_lists l WHERE l.list_id = $1`,
      [listId],
    );
    return rows[0] ? toView(rows[0]) : null;
  }

  async lists(limit: number, offset: number): Promise<DoNotContactListView[]> {
    const { rows } = await this.pool.query<ListRow>(
      `SELECT ${LIST_COLUMNS} FROM lx_dnc_lists l ORDER BY l.created_at DESC, l.list_id DESC LIMIT $1 OFFSET $2`,
      [limit, offset],
    );
    return rows.map(toView);
  }

  /**
   * The index of listed leads' fingerprints: the sellers' read model (every lead it has seen), and
   * the fingerprint claims of the write side for leads listed so recently that the read model has
   * not caught up (their streams are read to see whether they are still for sale).
   */
  async leadsOnSale(
    fingerprints: readonly string[],
    vertical: string | null,
    at: Date,
  ): Promise<LeadOnSale[]> {
    const { rows: known } = await this.pool.query<{ lead_id: string; seller_id: string; on_sale: boolean }>(
      `SELECT lead_id, seller_id, (status = 'listed' AND expires_at > $3 AND sales <
           CASE WHEN exclusivity->>'kind' = 'shared' THEN (exclusivity->>'maxSales')::int ELSE 1 END) AS on_sale
         FROM ${RM}.seller_leads
        WHERE (phone_fingerprint = ANY($1::text[]) OR email_fingerprint = ANY($1::text[]))
          AND ($2::text IS NULL OR vertical = $2)`,
      [fingerprints, vertical, at],
    );
    const { rows: claimed } = await this.pool.query<{ lead_id: string }>(
      `SELECT DISTINCT lead_id FROM lx_fingerprint_claims
        WHERE fingerprint = ANY($1::text[]) AND ($2::text IS NULL OR vertical = $2)`,
      [fingerprints, vertical],
    );
    const onSale = new Map<string, LeadOnSale>();
    for (const row of known)
      if (row.on_sale) onSale.set(row.lead_id, { leadId: row.lead_id, sellerId: row.seller_id });
    const seen = new Set(known.map((row) => row.lead_id));
    for (const { lead_id: leadId } of claimed) {
      if (seen.has(leadId)) continue;
      const lead = await this.leadAsLogged(leadId);
      if (lead && !lead.offSale && lead.expiresAt.getTime() > at.getTime())
        onSale.set(leadId, { leadId, sellerId: lead.sellerId });
    }
    return [...onSale.values()].sort((a, b) => (a.leadId < b.leadId ? -1 : 1));
  }

  /** A lead from its stream: its seller and expiry, and whether it was withdrawn or erased. */
  private async leadAsLogged(
    leadId: string,
  ): Promise<{ sellerId: string; expiresAt: Date; offSale: boolean } | null> {
    const events = await this.store.readStream(`lead-${leadId}`);
    const listed = events.find((event) => event.type === LeadListed.type);
    if (!listed) return null;
    const data = listed.data as EventData<typeof LeadListed>;
    return {
      sellerId: data.sellerId,
      expiresAt: new Date(data.expiresAt),
      offSale: events.some((event) => event.type === 'LeadWithdrawn' || event.type === 'LeadErased'),
    };
  }
}

function toView(row: ListRow): DoNotContactListView {
  return {
    listId: row.list_id,
    name: row.name,
    vertical: row.vertical,
    expiresAt: row.expires_at,
    endedAt: row.ended_at,
    createdAt: row.created_at,
    createdBy: row.created_by,
    contacts: Number(row.contacts),
    fingerprints: Number(row.fingerprints),
  };
}
