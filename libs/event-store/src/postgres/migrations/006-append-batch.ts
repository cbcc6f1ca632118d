import type { SqlMigration } from '../../migrator.js';

/**
 * lx_append_batch: what lx_append_many (migrations 003–005) does for an append whose event ids
 * are all new, paid once per call where it can be instead of once per stream or per event.
 *
 * - The events come as ONE jsonb parameter, `[{"t": type, "d": data, "m": metadata}, …]` in write
 *   order (the adapter writes each event's JSON into it as it is, with no array-literal escaping),
 *   beside two arrays without quotes: the event ids and the content digests.
 * - One INSERT for every stream's events, whose RETURNING gives each stream's last position.
 * - No idempotency pre-check: lx_events' unique event_id index makes that check as it inserts.
 *   A call that finds an event id already written fails with unique_violation (23505 on
 *   lx_events_event_id_key) and writes nothing; the adapter then makes the same call through
 *   lx_append_many, whose answer (idempotent retry, or duplicate) is the one it always gave.
 * - A refused expected revision is refused here (LX001, the same detail as lx_append_many) only
 *   when none of the call's event ids exists: lx_append_many checks idempotency before the
 *   revision, so a retry of an append that succeeded must not be refused. Otherwise LX002 sends
 *   the adapter to lx_append_many as above.
 *
 * Kept as lx_append_many has them: the per-stream advisory locks taken first (005), the
 * compare-and-set under the stream row's lock, the chain link sha256("<previous hash>|<revision>|
 * <digest>") per event in write order, and 004's check that a stream's previous event is not in a
 * younger transaction. The adapter sends here only calls whose streams are distinct and whose
 * event ids are distinct; any other goes to lx_append_many.
 */
export const appendBatchMigration: SqlMigration = {
  id: '006-append-batch',
  sql: `
CREATE FUNCTION lx_append_batch(
  p_streams text[],
  p_categories text[],
  p_expected_kinds text[],
  p_expected_revisions bigint[],
  p_counts int[],
  p_ids uuid[],
  p_digests text[],
  p_events jsonb
) RETURNS TABLE (stream text, outcome text, revision bigint, tx_id xid8, last_position bigint)
LANGUAGE plpgsql AS $fn$
DECLARE
  v_key int;
  v_version bigint;
  v_hash text;
  v_previous_tx xid8;
  v_refused bigint;
  v_revisions bigint[];
  v_names text[];
  v_categories text[];
  v_versions bigint[];
  v_prev text[];
  v_hashes text[];
  k int := 0;
BEGIN
  IF jsonb_array_length(p_events) <> array_length(p_ids, 1) OR array_length(p_digests, 1) <> array_length(p_ids, 1) THEN
    RAISE EXCEPTION 'lx_append_batch: % events, % ids, % digests',
      jsonb_array_length(p_events), array_length(p_ids, 1), array_length(p_digests, 1);
  END IF;
  FOR v_key IN SELECT DISTINCT hashtext(s) FROM unnest(p_streams) AS s ORDER BY 1 LOOP
    PERFORM pg_advisory_xact_lock(hashtext('lx_stream'), v_key);
  END LOOP;

  FOR i IN 1 .. array_length(p_streams, 1) LOOP
    v_refused := NULL;
    -- Compare-and-set on the stream version, under the stream row's lock (as lx_append).
    SELECT s.version, s.last_hash INTO v_version, v_hash FROM lx_streams s WHERE s.stream_name = p_streams[i] FOR UPDATE;
    IF NOT FOUND THEN
      IF p_expected_kinds[i] IN ('stream_exists', 'exact') THEN
        v_refused := -1;
      ELSE
        INSERT INTO lx_streams (stream_name, category, version, last_hash)
          VALUES (p_streams[i], p_categories[i], -1, repeat('0', 64)) ON CONFLICT (stream_name) DO NOTHING;
        IF NOT FOUND THEN
          SELECT s.version, s.last_hash INTO v_version, v_hash FROM lx_streams s WHERE s.stream_name = p_streams[i] FOR UPDATE;
          IF p_expected_kinds[i] = 'no_stream' THEN
            v_refused := v_version;
          END IF;
        ELSE
          v_version := -1;
          v_hash := repeat('0', 64);
        END IF;
      END IF;
    ELSIF p_expected_kinds[i] = 'no_stream' OR (p_expected_kinds[i] = 'exact' AND v_version <> p_expected_revisions[i]) THEN
      v_refused := v_version;
    END IF;
    IF v_refused IS NOT NULL THEN
      IF EXISTS (SELECT 1 FROM lx_events e WHERE e.event_id = ANY(p_ids)) THEN
        RAISE EXCEPTION USING ERRCODE = 'LX002', MESSAGE = 'some event ids exist: append through lx_append_many';
      END IF;
      RAISE EXCEPTION USING ERRCODE = 'LX001', MESSAGE = 'wrong',
        DETAIL = json_build_object('stream', p_streams[i], 'outcome', 'wrong', 'revision', v_refused)::text;
    END IF;

    -- A stream's revisions in log order (004): its previous event is not in a younger transaction.
    IF v_version >= 0 THEN
      SELECT e.transaction_id INTO v_previous_tx FROM lx_events e
        WHERE e.stream_name = p_streams[i] AND e.stream_version = v_version;
      IF v_previous_tx > pg_current_xact_id() THEN
        RAISE EXCEPTION USING ERRCODE = 'serialization_failure',
          MESSAGE = 'append would precede its predecessor in log order: retry',
          DETAIL = json_build_object('stream', p_streams[i])::text;
      END IF;
    END IF;

    -- Chain each event to its predecessor: sha256("<previous hash>|<revision>|<content digest>").
    FOR j IN 1 .. p_counts[i] LOOP
      k := k + 1;
      v_names[k] := p_streams[i];
      v_categories[k] := p_categories[i];
      v_versions[k] := v_version + j;
      v_prev[k] := v_hash;
      v_hash := encode(sha256(convert_to(v_hash || '|' || (v_version + j)::text || '|' || p_digests[k], 'UTF8')), 'hex');
      v_hashes[k] := v_hash;
    END LOOP;
    v_revisions[i] := v_version + p_counts[i];
    UPDATE lx_streams SET version = v_revisions[i], last_hash = v_hash WHERE stream_name = p_streams[i];
  END LOOP;

  RETURN QUERY
  WITH written AS (
    INSERT INTO lx_events (event_id, stream_name, category, stream_version, event_type, data, metadata, previous_hash, hash)
    SELECT u.id, u.name, u.category, u.version, u.type, u.data, u.metadata, u.prev, u.hash
      FROM ROWS FROM (
        unnest(p_ids), unnest(v_names), unnest(v_categories), unnest(v_versions), unnest(v_prev), unnest(v_hashes),
        jsonb_to_recordset(p_events) AS (t text, d jsonb, m jsonb)
      ) WITH ORDINALITY AS u(id, name, category, version, prev, hash, type, data, metadata, ord)
      ORDER BY u.ord
    RETURNING lx_events.stream_name, lx_events.global_position
  )
  SELECT s.name, 'ok'::text, v_revisions[s.ord], pg_current_xact_id(), l.last
    FROM unnest(p_streams) WITH ORDINALITY AS s(name, ord)
    JOIN (SELECT w.stream_name, max(w.global_position) AS last FROM written w GROUP BY w.stream_name) l
      ON l.stream_name = s.name
    ORDER BY s.ord;
END
$fn$;
`,
};
