import type { SqlMigration } from '../../migrator.js';

/**
 * A stream's revisions in log order, always. The log is ordered by (transaction id, position),
 * and a transaction takes its id at its first write. An append to several streams locks them one
 * after the other: it can take its id on the first stream, wait for the second stream's lock
 * while a younger transaction appends there and commits, and then write the next revision with
 * an older transaction id than the one before it — a revision that readers in log order would
 * see before its predecessor, and that the integrity check rightly reports as a missing event.
 * lx_append_many now refuses that write with serialization_failure (40001), before anything of
 * the batch is committed; the adapter runs the append again, in a transaction of a later id.
 */
export const appendInLogOrderMigration: SqlMigration = {
  id: '004-append-in-log-order',
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
  v_previous_tx xid8;
  r record;
BEGIN
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
