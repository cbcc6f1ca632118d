import type { SqlMigration } from '../../migrator.js';

/**
 * The event log. Global order is (transaction_id, global_position): readers only read below
 * pg_snapshot_xmin(pg_current_snapshot()), so an event whose transaction commits late is never
 * skipped. lx_append is the whole append in one round trip: idempotency check, compare-and-set
 * on the stream version, hash chain, insert, NOTIFY.
 */
/** lx_append as this migration created it (migration 002 restates it without its NOTIFY). */
export const LX_APPEND_V1 = `
CREATE FUNCTION lx_append(
  p_stream text,
  p_category text,
  p_expected_kind text,          -- 'no_stream' | 'stream_exists' | 'any' | 'exact'
  p_expected_revision bigint,
  p_ids uuid[],
  p_types text[],
  p_data jsonb[],
  p_metadata jsonb[],
  p_digests text[]
) RETURNS TABLE (outcome text, revision bigint, tx_id xid8, last_position bigint)
LANGUAGE plpgsql AS $fn$
DECLARE
  v_count int := array_length(p_ids, 1);
  v_found int;
  v_same_stream boolean;
  v_version bigint;
  v_hash text;
  v_prev text[] := '{}';
  v_hashes text[] := '{}';
  v_last bigint;
BEGIN
  -- Idempotency: every id already in this stream -> nothing to write.
  SELECT count(*), coalesce(bool_and(e.stream_name = p_stream), true), max(e.global_position), max(e.stream_version)
    INTO v_found, v_same_stream, v_last, v_version
    FROM lx_events e WHERE e.event_id = ANY(p_ids);
  IF v_found > 0 THEN
    IF v_found = v_count AND v_same_stream THEN
      RETURN QUERY SELECT 'idempotent'::text, v_version,
        (SELECT e.transaction_id FROM lx_events e WHERE e.global_position = v_last), v_last;
    ELSE
      RETURN QUERY SELECT 'duplicate'::text, NULL::bigint, NULL::xid8, NULL::bigint;
    END IF;
    RETURN;
  END IF;

  -- Compare-and-set on the stream version, under the stream row's lock.
  SELECT s.version, s.last_hash INTO v_version, v_hash FROM lx_streams s WHERE s.stream_name = p_stream FOR UPDATE;
  IF NOT FOUND THEN
    IF p_expected_kind IN ('stream_exists', 'exact') THEN
      RETURN QUERY SELECT 'wrong'::text, -1::bigint, NULL::xid8, NULL::bigint;
      RETURN;
    END IF;
    INSERT INTO lx_streams (stream_name, category, version, last_hash)
      VALUES (p_stream, p_category, -1, repeat('0', 64)) ON CONFLICT (stream_name) DO NOTHING;
    IF NOT FOUND THEN
      -- Created concurrently by a transaction that has committed meanwhile.
      SELECT s.version, s.last_hash INTO v_version, v_hash FROM lx_streams s WHERE s.stream_name = p_stream FOR UPDATE;
      IF p_expected_kind = 'no_stream' THEN
        RETURN QUERY SELECT 'wrong'::text, v_version, NULL::xid8, NULL::bigint;
        RETURN;
      END IF;
    ELSE
      v_version := -1;
      v_hash := repeat('0', 64);
    END IF;
  ELSIF p_expected_kind = 'no_stream' OR (p_expected_kind = 'exact' AND v_version <> p_expected_revision) THEN
    RETURN QUERY SELECT 'wrong'::text, v_version, NULL::xid8, NULL::bigint;
    RETURN;
  END IF;

  -- Chain each event to its predecessor: sha256("<previous hash>|<revision>|<content digest>").
  FOR i IN 1 .. v_count LOOP
    v_prev := v_prev || v_hash;
    v_hash := encode(sha256(convert_to(v_hash || '|' || (v_version + i)::text || '|' || p_digests[i], 'UTF8')), 'hex');
    v_hashes := v_hashes || v_hash;
  END LOOP;

  INSERT INTO lx_events (event_id, stream_name, category, stream_version, event_type, data, metadata, previous_hash, hash)
  SELECT u.id, p_stream, p_category, v_version + u.ord, u.type, u.data, u.metadata, u.prev, u.hash
    FROM unnest(p_ids, p_types, p_data, p_metadata, v_prev, v_hashes) WITH ORDINALITY
      AS u(id, type, data, metadata, prev, hash, ord)
    ORDER BY u.ord;

  UPDATE lx_streams SET version = v_version + v_count, last_hash = v_hash WHERE stream_name = p_stream;
  SELECT max(e.global_position) INTO v_last FROM lx_events e
    WHERE e.stream_name = p_stream AND e.stream_version = v_version + v_count;
  PERFORM pg_notify('lx_events', p_category);
  RETURN QUERY SELECT 'ok'::text, v_version + v_count, pg_current_xact_id(), v_last;
END
$fn$;
`;

export const eventStoreMigration: SqlMigration = {
  id: '001-event-store',
  sql: `
CREATE TABLE lx_streams (
  stream_name text PRIMARY KEY,
  category    text   NOT NULL,
  version     bigint NOT NULL,
  last_hash   text   NOT NULL
);

CREATE TABLE lx_events (
  global_position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  transaction_id  xid8        NOT NULL DEFAULT pg_current_xact_id(),
  event_id        uuid        NOT NULL,
  stream_name     text        NOT NULL,
  category        text        NOT NULL,
  stream_version  bigint      NOT NULL,
  event_type      text        NOT NULL,
  data            jsonb       NOT NULL,
  metadata        jsonb       NOT NULL,
  previous_hash   text        NOT NULL,
  hash            text        NOT NULL,
  recorded_at     timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT lx_events_stream_version_key UNIQUE (stream_name, stream_version),
  CONSTRAINT lx_events_event_id_key UNIQUE (event_id)
);
CREATE INDEX lx_events_log_order ON lx_events (transaction_id, global_position);

CREATE TABLE lx_subscriptions (
  name             text PRIMARY KEY,
  position_commit  numeric(20, 0) NOT NULL,
  position_prepare bigint NOT NULL,
  updated_at       timestamptz NOT NULL DEFAULT now()
);

${LX_APPEND_V1}
`,
};
