import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '#lx/event-store';
import type { Projection } from '#lx/projections';
import { referencedEntities } from '../domain/entity-references.js';

/** Which events touched which entity, in log order: the index behind every audit timeline. */
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
  async handle(event: RecordedEvent, manager: EntityManager) {
    const references = referencedEntities(event.streamName, event.data);
    if (references.length === 0) return;
    await manager.query(
      `INSERT INTO audit_reference (entity_kind, entity_id, position_commit, position_prepare, stream_name, revision, event_type)
       SELECT kind, id, $3, $4, $5, $6, $7 FROM unnest($1::text[], $2::text[]) AS r(kind, id)
       ON CONFLICT DO NOTHING`,
      [
        references.map((r) => r.kind),
        references.map((r) => r.id),
        event.position.commit.toString(),
        event.position.prepare.toString(),
        event.streamName,
        event.revision,
        event.type,
      ],
    );
  },
};
