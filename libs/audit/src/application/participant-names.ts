import type { EventStore } from '#lx/event-store';

export interface NamedParticipant {
  id: string;
  name: string;
  role: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Participants by name, from each one's registration in the log: what auditors read in reports
 * and timelines instead of bare ids. Actors that are not participants (`system`, an engine, the
 * bootstrap key) keep their own names.
 */
export class ParticipantNames {
  private readonly known = new Map<string, NamedParticipant | null>();

  constructor(private readonly store: EventStore) {}

  async find(id: string): Promise<NamedParticipant | null> {
    if (!UUID.test(id)) return null;
    if (!this.known.has(id)) {
      const [registered] = await this.store.readStream(`participant-${id}`, { maxCount: 1 });
      const data =
        registered?.type === 'ParticipantRegistered'
          ? (registered.data as { name: string; role: string })
          : null;
      this.known.set(id, data ? { id, name: data.name, role: data.role } : null);
    }
    return this.known.get(id)!;
  }

  /** The participant's name, or the actor as recorded when it is not a participant. */
  async of(actor: string): Promise<string> {
    return (await this.find(actor))?.name ?? actor;
  }
}
