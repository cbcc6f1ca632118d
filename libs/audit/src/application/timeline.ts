import { Inject, Injectable, Optional } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EVENT_STORE, formatPosition, type EventStore, type RecordedEvent } from '#lx/event-store';
import type { EntityKind } from '../domain/entity-references.js';
import { summariseEvent } from '../domain/event-summaries.js';
import { SEALED_TEXT_OPENER, showLeadTexts, type SealedTextOpener } from './lead-texts.js';

export interface TimelineEntry {
  position: string;
  stream: string;
  revision: number;
  type: string;
  actor: string;
  occurredAt: string;
  recordedAt: string;
  hash: string;
  previousHash: string;
  /** The event in one line, for the events whose data does not read well as it is (§7). */
  summary: string | null;
  data: unknown;
}

/**
 * Erased personal data stays erased: the log only ever held ciphertext, and a timeline shows none
 * of it. A do-not-contact list's keyed fingerprints are counted, not shown: they are of no use to
 * an auditor, and a page of them would only be a page of hashes that stand for people.
 */
export function redactPersonalData(event: RecordedEvent): unknown {
  if (!event.data || typeof event.data !== 'object') return event.data;
  if (event.type === 'LeadListed') {
    const { personalData: _envelope, ...rest } = event.data as Record<string, unknown>;
    return { ...rest, personalData: '(encrypted envelope, not shown)' };
  }
  if (event.type === 'DoNotContactEntriesAdded') {
    const { fingerprints, ...rest } = event.data as Record<string, unknown>;
    const held = Array.isArray(fingerprints) ? fingerprints.length : 0;
    return { ...rest, fingerprints: `(${held} keyed fingerprints, not shown)` };
  }
  return event.data;
}

export function toTimelineEntry(event: RecordedEvent): TimelineEntry {
  return {
    position: formatPosition(event.position),
    stream: event.streamName,
    revision: event.revision,
    type: event.type,
    actor: event.metadata.actor,
    occurredAt: event.metadata.occurredAt,
    recordedAt: event.recordedAt.toISOString(),
    hash: event.hash,
    previousHash: event.previousHash,
    summary: summariseEvent(event.type, event.data),
    data: redactPersonalData(event),
  };
}

/** Where a timeline page ends: the log position of its last event. */
export interface TimelineCursor {
  commit: string;
  prepare: string;
}

export interface TimelinePage {
  events: TimelineEntry[];
  /** Where the next page starts; null when this page holds the last event. */
  next: TimelineCursor | null;
}

/** Every event that touched an entity, in log order, with actor, time, position and hash. */
@Injectable()
export class AuditTimelines {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Optional() @Inject(SEALED_TEXT_OPENER) private readonly texts: SealedTextOpener | null = null,
  ) {}

  /** Up to `limit` events after `after`, and whether more follow (one row is read ahead). */
  async page(
    kind: EntityKind,
    id: string,
    limit: number,
    after: TimelineCursor | null,
  ): Promise<TimelinePage> {
    const rows: {
      stream_name: string;
      revision: string;
      position_commit: string;
      position_prepare: string;
    }[] = await this.dataSource.query(
      `SELECT stream_name, revision, position_commit, position_prepare FROM audit_reference
         WHERE entity_kind = $1 AND entity_id = $2
           AND ($3::numeric IS NULL OR (position_commit, position_prepare) > ($3::numeric, $4::bigint))
         ORDER BY position_commit, position_prepare LIMIT $5`,
      [kind, id, after?.commit ?? null, after?.prepare ?? null, limit + 1],
    );
    const shown = rows.slice(0, limit);
    const events: RecordedEvent[] = [];
    for (const row of shown) {
      const [event] = await this.store.readStream(row.stream_name, {
        fromRevision: Number(row.revision),
        maxCount: 1,
      });
      if (event) events.push(event);
    }
    // Sealed free texts (return evidence, a seller's statement) are opened for the auditor, or
    // show as erased once their lead was.
    const erased = await this.erasedLeadsOf(events);
    const entries = await Promise.all(
      events.map(async (event) => {
        const entry = toTimelineEntry(event);
        return { ...entry, data: await showLeadTexts(entry.data, erased(event), this.texts) };
      }),
    );
    const last = shown.at(-1);
    return {
      events: entries,
      next:
        rows.length > limit && last
          ? { commit: String(last.position_commit), prepare: String(last.position_prepare) }
          : null,
    };
  }

  /** The whole timeline, page after page: for reports that need every event, however many. */
  async timeline(kind: EntityKind, id: string): Promise<TimelineEntry[]> {
    const entries: TimelineEntry[] = [];
    for (let after: TimelineCursor | null = null; ;) {
      const page: TimelinePage = await this.page(kind, id, TIMELINE_PAGE, after);
      entries.push(...page.events);
      if (!page.next) return entries;
      after = page.next;
    }
  }

  /** Which events speak of an erased lead: by their `leadId`, or their allocation's. */
  private async erasedLeadsOf(events: RecordedEvent[]): Promise<(event: RecordedEvent) => boolean> {
    const field = (event: RecordedEvent, name: string) => {
      const value = (event.data as Record<string, unknown> | null)?.[name];
      return typeof value === 'string' ? value : undefined;
    };
    const leadOfAllocation = new Map<string, string>();
    for (const event of events) {
      const allocationId = field(event, 'allocationId');
      const leadId = field(event, 'leadId');
      if (allocationId && leadId) leadOfAllocation.set(allocationId, leadId);
    }
    const leadOf = (event: RecordedEvent) =>
      field(event, 'leadId') ?? leadOfAllocation.get(field(event, 'allocationId') ?? '');
    const erased = new Set<string>();
    for (const leadId of new Set(events.map(leadOf).filter((id): id is string => id !== undefined))) {
      const leadEvents = await this.store.readStream(`lead-${leadId}`);
      if (leadEvents.some((event) => event.type === 'LeadErased')) erased.add(leadId);
    }
    return (event) => erased.has(leadOf(event) ?? '');
  }
}

const TIMELINE_PAGE = 500;
