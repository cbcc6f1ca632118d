import type { SqlMigration } from '../../migrator.js';

/** The advisory lock (two int4 keys: "LX", 1) a transaction holds to say it appends nothing to the log. */
const APPENDS_NOTHING_KEYS = { classid: 7688, objid: 1 } as const;

/**
 * The statement a transaction runs FIRST to declare that it will append nothing to the log (a read
 * model's page, say): readers of the log then need not wait for it (lx_read_horizon below). It takes
 * the declaring lock only while the transaction has no id yet — a transaction that already wrote
 * something may have written events, so it keeps holding readers back — and turns appends off for
 * the rest of the transaction (the trigger below refuses them). Harmless in a database without the
 * log (read models beside an EventStoreDB log): nothing reads the lock there.
 */
export const APPENDS_NOTHING_SQL =
  `CASE WHEN pg_current_xact_id_if_assigned() IS NULL ` +
  `THEN pg_advisory_xact_lock_shared(${APPENDS_NOTHING_KEYS.classid}, ${APPENDS_NOTHING_KEYS.objid})::text END, ` +
  `set_config('lx.appends', 'off', true)`;

/**
 * Readers of the log read below lx_read_horizon() (migration 007): the oldest transaction in progress
 * in this database. Every read model is in the same database as the log, and each page a projection
 * applies is a transaction with an id, so while any projection was applying a page every subscription
 * of the exchange (the engines, webhook dispatch, the other projections) waited for it, although a
 * projection never appends an event. A page takes tens of milliseconds and some projection is applying
 * one most of the time under load: that wait was the tail of the listing → sale → delivery latency.
 *
 * Now a transaction that declared it appends nothing (APPENDS_NOTHING_SQL, as its first statement) is
 * set aside too, like another database's:
 * - the declaring lock and the transaction's id are read from ONE reading of the lock table
 *   (pg_lock_status() in a materialized CTE), joined by virtual transaction id, which names one
 *   transaction for ever: the id set aside is the id of the transaction holding the lock;
 * - the lock is taken only before the transaction has an id, and `lx.appends = off` makes the
 *   trigger refuse any insert into lx_events for the rest of that transaction: a transaction set aside
 *   can never have written an event;
 * - the lock table is read only when some transaction of this database is in progress.
 */
export const appendsNothingMigration: SqlMigration = {
  id: '008-transactions-that-append-nothing',
  sql: `
CREATE FUNCTION lx_refuse_appends_when_declared_off() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
  IF current_setting('lx.appends', true) = 'off' THEN
    RAISE EXCEPTION 'this transaction declared that it appends nothing to the log (lx.appends = off)'
      USING ERRCODE = 'LX003';
  END IF;
  RETURN NULL;
END
$fn$;

CREATE TRIGGER lx_events_refuse_declared_readers BEFORE INSERT ON lx_events
  FOR EACH STATEMENT EXECUTE FUNCTION lx_refuse_appends_when_declared_off();

CREATE OR REPLACE FUNCTION lx_read_horizon() RETURNS xid8
LANGUAGE plpgsql STABLE AS $fn$
DECLARE
  v_snapshot pg_snapshot := pg_current_snapshot();
  v_database oid;
  v_candidates bigint[];
  v_horizon bigint;
BEGIN
  -- Nothing in progress anywhere: everything below xmax is readable.
  IF pg_snapshot_xmin(v_snapshot) = pg_snapshot_xmax(v_snapshot) THEN
    RETURN pg_snapshot_xmax(v_snapshot);
  END IF;
  SELECT d.oid INTO v_database FROM pg_database d WHERE d.datname = current_database();
  -- In progress and not known to be another database's (migration 007).
  SELECT array_agg(x::text::bigint) INTO v_candidates FROM pg_snapshot_xip(v_snapshot) AS x
   WHERE (x::text::bigint % 4294967296) NOT IN (
     SELECT a.backend_xid::text::bigint FROM pg_stat_get_activity(NULL) a
      WHERE a.backend_xid IS NOT NULL AND a.datid IS DISTINCT FROM v_database);
  IF v_candidates IS NULL THEN
    RETURN pg_snapshot_xmax(v_snapshot);
  END IF;
  -- Of those, the ones that declared they append nothing are set aside.
  WITH locks AS MATERIALIZED (
    SELECT l.locktype, l.database, l.classid, l.objid, l.objsubid, l.transactionid,
           l.virtualtransaction, l.mode, l.granted
      FROM pg_lock_status() AS l
  ), readers AS (
    SELECT own.transactionid::text::bigint AS xid
      FROM locks declared JOIN locks own ON own.virtualtransaction = declared.virtualtransaction
     WHERE declared.locktype = 'advisory' AND declared.granted AND declared.database = v_database
       AND declared.classid = ${APPENDS_NOTHING_KEYS.classid} AND declared.objid = ${APPENDS_NOTHING_KEYS.objid}
       AND declared.objsubid = 2
       AND own.locktype = 'transactionid' AND own.mode = 'ExclusiveLock' AND own.granted
  )
  SELECT min(c) INTO v_horizon FROM unnest(v_candidates) AS c
   WHERE (c % 4294967296) NOT IN (SELECT xid FROM readers);
  RETURN coalesce(v_horizon::text::xid8, pg_snapshot_xmax(v_snapshot));
END
$fn$;
`,
};
