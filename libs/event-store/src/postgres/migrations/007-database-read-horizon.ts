import type { SqlMigration } from '../../migrator.js';

/**
 * lx_read_horizon(): the transaction id below which every event of this database's log is committed
 * (or will never be), so that a reader of the log in (transaction_id, global_position) order can
 * read up to it without ever skipping an event whose transaction commits late.
 *
 * Migration 001 read below pg_snapshot_xmin(pg_current_snapshot()): the oldest transaction in
 * progress on the whole server. Transaction ids are server-wide, so a long transaction in ANY
 * database — another application's, a test's, a dump — held back every subscription of the
 * exchange, although only a transaction of this database can insert into lx_events.
 *
 * Here the horizon is the oldest transaction in progress that is not known to belong to another
 * database, or the snapshot's xmax when there is none:
 * - the in-progress ids are the snapshot's (pg_snapshot_xip), taken at the call;
 * - a transaction is set aside only when pg_stat_activity shows a backend of another database
 *   holding that id (backend_xid carries the low 32 bits of the id; ids in progress span fewer
 *   than 2^31 values, so the low bits name one of them). A backend can never change database, so
 *   this is never wrong, even when pg_stat_activity is read a moment before the snapshot;
 * - an id with no such backend is kept: this database's backends, prepared transactions, backends
 *   whose details this role may not see. The horizon is then what it was before, never later.
 * The horizon only moves forward: a transaction that takes its id after a call gets one at or above
 * that call's xmax.
 */
export const databaseReadHorizonMigration: SqlMigration = {
  id: '007-database-read-horizon',
  sql: `
CREATE FUNCTION lx_read_horizon() RETURNS xid8
LANGUAGE sql STABLE AS $fn$
  WITH snap AS (SELECT pg_current_snapshot() AS s),
  foreign_xids AS (
    SELECT a.backend_xid::text::bigint AS low
      FROM pg_stat_activity a
     WHERE a.backend_xid IS NOT NULL
       AND a.datid IS DISTINCT FROM (SELECT d.oid FROM pg_database d WHERE d.datname = current_database())
  )
  SELECT coalesce(
    (SELECT min(x) FROM snap, pg_snapshot_xip(snap.s) AS x
      WHERE (x::text::bigint % 4294967296) NOT IN (SELECT low FROM foreign_xids)),
    (SELECT pg_snapshot_xmax(snap.s) FROM snap))
$fn$;
`,
};
