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
 *
 * PL/pgSQL, reading pg_stat_get_activity(NULL) rather than the pg_stat_activity view: a SQL function
 * with a CTE is planned on every call, ≈ 1 ms of server CPU for every read of the log; this one keeps
 * its plans and costs ≈ 0.1–0.2 ms more than pg_snapshot_xmin alone, nothing when no transaction is
 * in progress anywhere.
 */
export const databaseReadHorizonMigration: SqlMigration = {
  id: '007-database-read-horizon',
  sql: `
CREATE FUNCTION lx_read_horizon() RETURNS xid8
LANGUAGE plpgsql STABLE AS $fn$
DECLARE
  v_snapshot pg_snapshot := pg_current_snapshot();
  v_database oid;
  v_horizon xid8;
BEGIN
  -- Nothing in progress anywhere: everything below xmax is readable.
  IF pg_snapshot_xmin(v_snapshot) = pg_snapshot_xmax(v_snapshot) THEN
    RETURN pg_snapshot_xmax(v_snapshot);
  END IF;
  SELECT d.oid INTO v_database FROM pg_database d WHERE d.datname = current_database();
  SELECT min(x) INTO v_horizon FROM pg_snapshot_xip(v_snapshot) AS x
   WHERE (x::text::bigint % 4294967296) NOT IN (
     SELECT a.backend_xid::text::bigint FROM pg_stat_get_activity(NULL) a
      WHERE a.backend_xid IS NOT NULL AND a.datid IS DISTINCT FROM v_database);
  RETURN coalesce(v_horizon, pg_snapshot_xmax(v_snapshot));
END
$fn$;
`,
};
