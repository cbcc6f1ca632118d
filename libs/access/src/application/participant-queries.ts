import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore, type LogPosition } from '#lx/event-store';
import type { ParticipantState } from '../domain/participant.js';
import { loadParticipant } from './participant-stream.js';

/** A participant as its stream folds; `exists` is false when it never registered. */
export class GetParticipant extends Query<ParticipantState> {
  constructor(readonly participantId: string) {
    super();
  }
}

export interface Registration {
  participantId: string;
  registeredAt: string;
  /** The log position of its registration: where the next page starts after it. */
  position: LogPosition;
}

/**
 * Registrations in log order after a position, up to `rows` of them (`role`: of that role only).
 * The bootstrap operator key is not a participant and is never among them.
 */
export class ListRegistrations extends Query<Registration[]> {
  constructor(
    readonly rows: number,
    readonly after: LogPosition | null,
    readonly role?: string,
  ) {
    super();
  }
}

@QueryHandler(GetParticipant)
export class GetParticipantHandler implements IQueryHandler<GetParticipant> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ participantId }: GetParticipant): Promise<ParticipantState> {
    return (await loadParticipant(this.store, participantId)).state;
  }
}

@QueryHandler(ListRegistrations)
export class ListRegistrationsHandler implements IQueryHandler<ListRegistrations> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ rows, after: start, role }: ListRegistrations): Promise<Registration[]> {
    let after = start;
    const found: Registration[] = [];
    while (found.length < rows) {
      const page = await this.store.readAll({
        after,
        maxCount: 200,
        filter: { streamCategories: ['participant'], eventTypes: ['ParticipantRegistered'] },
      });
      for (const event of page.events) {
        const registered = event.data as { participantId: string; role: string };
        if (role && registered.role !== role) continue;
        found.push({
          participantId: registered.participantId,
          registeredAt: event.metadata.occurredAt,
          position: event.position,
        });
        if (found.length >= rows) break;
      }
      after = page.nextAfter ?? after;
      if (page.isEnd || page.events.length === 0) break;
    }
    return found;
  }
}

export const participantQueryHandlers = [GetParticipantHandler, ListRegistrationsHandler];
