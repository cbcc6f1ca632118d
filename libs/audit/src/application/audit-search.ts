import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EVENT_STORE, type EventStore, type LogPosition } from '#lx/event-store';
import { ENTITY_KINDS, type EntityKind } from '../domain/entity-references.js';
import { ParticipantNames } from './participant-names.js';

export interface SearchMatch {
  kind: EntityKind;
  id: string;
  /** What a person reads: a participant's name and role, or the first event that touched the entity. */
  label: string;
}

const MAX_MATCHES = 20;

/**
 * What an id is, or who a name is: the auditor types one thing and is shown its page. Ids are
 * looked up in the audit index (every entity any event named); names among the participants'
 * registrations in the log.
 */
@Injectable()
export class AuditSearch {
  private readonly names: ParticipantNames;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {
    this.names = new ParticipantNames(store);
  }

  async search(query: string): Promise<SearchMatch[]> {
    const q = query.trim();
    if (q.length === 0) return [];
    const matches = [...(await this.byId(q)), ...(await this.byName(q))];
    const seen = new Set<string>();
    return matches
      .filter((match) => {
        const key = `${match.kind}:${match.id}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      })
      .slice(0, MAX_MATCHES);
  }

  private async byId(q: string): Promise<SearchMatch[]> {
    if (!/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,159}$/.test(q)) return [];
    const rows: { entity_kind: string; entity_id: string; event_type: string }[] =
      await this.dataSource.query(
        `SELECT DISTINCT ON (entity_kind, entity_id) entity_kind, entity_id, event_type FROM audit_reference
        WHERE entity_id = $1 OR entity_id = lower($1)
        ORDER BY entity_kind, entity_id, position_commit, position_prepare`,
        [q],
      );
    const matches: SearchMatch[] = [];
    for (const row of rows) {
      if (!(ENTITY_KINDS as readonly string[]).includes(row.entity_kind)) continue;
      const kind = row.entity_kind as EntityKind;
      const participant = kind === 'participant' ? await this.names.find(row.entity_id) : null;
      matches.push({
        kind,
        id: row.entity_id,
        label: participant ? `${participant.name} (${participant.role})` : row.event_type,
      });
    }
    return matches;
  }

  private async byName(q: string): Promise<SearchMatch[]> {
    if (q.length < 2) return [];
    const wanted = q.toLocaleLowerCase();
    const matches: SearchMatch[] = [];
    let after: LogPosition | null = null;
    for (;;) {
      const page = await this.store.readAll({
        after,
        maxCount: 1000,
        filter: { eventTypes: ['ParticipantRegistered'] },
      });
      for (const event of page.events) {
        const { participantId, name, role } = event.data as {
          participantId: string;
          name: string;
          role: string;
        };
        if (name.toLocaleLowerCase().includes(wanted))
          matches.push({ kind: 'participant', id: participantId, label: `${name} (${role})` });
        if (matches.length >= MAX_MATCHES) return matches;
      }
      if (page.isEnd) return matches;
      after = page.nextAfter;
    }
  }
}
