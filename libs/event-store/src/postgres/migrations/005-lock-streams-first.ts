import type { SqlMigration } from '../../migrator.js';

/**
 * Every stream of an append locked before its first write, so that the check of migration 004
 * has nothing to refuse. lx_append_many first takes a transaction-level advisory lock per
 * stream, in one order (by key), and only then writes — and a transaction takes its id at its
 * first write, not at an advisory lock. Whoever appended to one of these streams before held
 * its lock until it committed, so it took its id before this transaction's id exists: each
 * stream's revisions follow the log order without a retry. Two appends to the same streams in
 * opposite orders no longer deadlock on the stream rows either: they queue on the first lock.
 *
 * The check of 004 stays, for callers that wrote before calling lx_append_many in the same
 * transaction (the adapter never does: one statement, one transaction). An append to n streams
 * holds n locks until it commits (a lead batch chunk: 250) in PostgreSQL's shared lock table
 * (max_locks_per_transaction × connections). Two streams whose keys (hashtext) collide only
 * wait for each other.
 */
export const lockStreamsFirstMigration: SqlMigration = {
  id: '005-lock-streams-first',
  sql: `
CREATE OR REPLACE FUNCTION lx_append_many(
  p_streams text[],
  p_categories text[],
  p_expected_kinds text[],
  p_expected_revisions bigint[],
  p_counts int[],
  p_ids uuid[],
  p_types text[],
  p_data jsonb[],
  p_metadata jsonb[],
  p_digests text[]
) RETURNS TABLE (stream text, outcome text, revision bigint, tx_id xid8, last_position bigint)
LANGUAGE plpgsql AS $fn$
DECLARE
  v_from int := 1;
  v_to int;
  v_key int;
  v_previous_tx xid8;
  r record;
BEGIN
  FOR v_key IN SELECT DISTINCT hashtext(s) FROM unnest(p_streams) AS s ORDER BY 1 LOOP
    PERFORM pg_advisory_xact_lock(hashtext('lx_stream'), v_key);
  END LOOP;
  FOR i IN 1 .. array_length(p_streams, 1) LOOP
    v_to := v_from + p_counts[i] - 1;
    SELECT * INTO r FROM lx_append(p_streams[i], p_categories[i], p_expected_kinds[i], p_expected_revisions[i],
      p_ids[v_from:v_to], p_types[v_from:v_to], p_data[v_from:v_to], p_metadata[v_from:v_to], p_digests[v_from:v_to]);
    IF r.outcome NOT IN ('ok', 'idempotent') THEN
      RAISE EXCEPTION USING ERRCODE = 'LX001', MESSAGE = r.outcome,
        DETAIL = json_build_object('stream', p_streams[i], 'outcome', r.outcome, 'revision', r.revision)::text;
    END IF;
    IF r.outcome = 'ok' THEN
      SELECT e.transaction_id INTO v_previous_tx FROM lx_events e
        WHERE e.stream_name = p_streams[i] AND e.stream_version = r.revision - p_counts[i];
      IF v_previous_tx > pg_current_xact_id() THEN
        RAISE EXCEPTION USING ERRCODE = 'serialization_failure',
          MESSAGE = 'append would precede its predecessor in log order: retry',
          DETAIL = json_build_object('stream', p_streams[i])::text;
      END IF;
    END IF;
    stream := p_streams[i]; outcome := r.outcome; revision := r.revision; tx_id := r.tx_id; last_position := r.last_position;
    RETURN NEXT;
    v_from := v_to + 1;
  END LOOP;
END
$fn$;
`,
};
