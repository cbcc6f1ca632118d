import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '#lx/event-store';
import type { Projection } from '#lx/projections';
import { referencedEntities } from '../domain/entity-references.js';

/** The columns of `audit_reference` rows, one array per column (what `unnest` takes). */
interface ReferenceColumns {
  kinds: string[];
  ids: string[];
  commits: string[];
  prepares: string[];
  streams: string[];
  revisions: number[];
  types: string[];
}

/** Every row the events add, in log order (one per entity an event references). */
function referenceRows(events: readonly RecordedEvent[]): ReferenceColumns {
  const rows: ReferenceColumns = {
    kinds: [],
    ids: [],
    commits: [],
    prepares: [],
    streams: [],
    revisions: [],
    types: [],
  };
  for (const event of events) {
    const references = referencedEntities(event.streamName, event.data);
    if (references.length === 0) continue;
    const commit = event.position.commit.toString();
    const prepare = event.position.prepare.toString();
    for (const reference of references) {
      rows.kinds.push(reference.kind);
      rows.ids.push(reference.id);
      rows.commits.push(commit);
      rows.prepares.push(prepare);
      rows.streams.push(event.streamName);
      rows.revisions.push(event.revision);
      rows.types.push(event.type);
    }
  }
  return rows;
}

/** One statement for any number of rows; a row already present (the same entity and position) is left alone. */
async function insertReferences(manager: EntityManager, rows: ReferenceColumns): Promise<void> {
  if (rows.kinds.length === 0) return;
  await manager.query(
    `INSERT INTO audit_reference (entity_kind, entity_id, position_commit, position_prepare, stream_name, revision, event_type)
     SELECT * FROM unnest($1::text[], $2::text[], $3::numeric[], $4::bigint[], $5::text[], $6::bigint[], $7::text[])
     ON CONFLICT DO NOTHING`,
    [rows.kinds, rows.ids, rows.commits, rows.prepares, rows.streams, rows.revisions, rows.types],
  );
}

/**
 * Which events touched which entity, in log order: the index behind every audit timeline. It
 * reads every event of the log, so a page of events is written as one multi-row insert.
 */
export const auditIndexProjection: Projection = {
  name: 'audit_index',
  version: 1,
  filter: {},
  entities: [],
  createTables: (schema) => [
    `CREATE TABLE ${schema}.audit_reference (
       entity_kind text NOT NULL, entity_id text NOT NULL,
       position_commit numeric(20,0) NOT NULL, position_prepare bigint NOT NULL,
       stream_name text NOT NULL, revision bigint NOT NULL, event_type text NOT NULL,
       PRIMARY KEY (entity_kind, entity_id, position_commit, position_prepare))`,
  ],
  handle: (event: RecordedEvent, manager: EntityManager) => insertReferences(manager, referenceRows([event])),
  handleBatch: (events, manager) => insertReferences(manager, referenceRows(events)),
};
