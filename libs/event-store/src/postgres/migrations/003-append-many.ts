import type { SqlMigration } from '../../migrator.js';

/**
 * Several streams' appends in one transaction and one round trip: each stream is appended by
 * lx_append; the first refusal raises, so nothing of the batch is written.
 */
export const appendManyMigration: SqlMigration = {
  id: '003-append-many',
  sql: `
CREATE FUNCTION lx_append_many(
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
    stream := p_streams[i]; outcome := r.outcome; revision := r.revision; tx_id := r.tx_id; last_position := r.last_position;
    RETURN NEXT;
    v_from := v_to + 1;
  END LOOP;
END
$fn$;
`,
};
