import {
  DNC_FINGERPRINTS_PER_EVENT,
  type DoNotContactEntriesAdded,
  type DoNotContactListCreated,
  type DoNotContactListEnded,
  type EventInput,
} from '#lx/contracts';
import type { Decider, DomainEvent } from '#lx/event-sourcing';
import {
  DoNotContactListClosed,
  DoNotContactListExists,
  DoNotContactListInvalid,
  DoNotContactListNotFound,
} from './errors.js';

/*
 * Do-not-contact lists (docs/architecture.md §4.3): an operator's list of people, kept as keyed
 * fingerprints of their phones and e-mails, for one market or every market, until it expires or
 * is ended. Pure: time comes in the command's context or as an argument.
 */

/** What decides whether a list applies: its market (null: all) and the interval it is in force. */
export interface DoNotContactScope {
  vertical: string | null;
  expiresAt: Date;
  /** When an operator ended it early; null: not ended. */
  endedAt: Date | null;
}

/** True when the list refuses (or withdraws) a lead of `vertical` judged at `at`. */
export function listApplies(list: DoNotContactScope, vertical: string, at: Date): boolean {
  return (list.vertical === null || list.vertical === vertical) && listInForce(list, at);
}

/** Not expired and not ended at `at`, in whichever market. */
export function listInForce(list: DoNotContactScope, at: Date): boolean {
  if (at.getTime() >= list.expiresAt.getTime()) return false;
  return list.endedAt === null || at.getTime() < list.endedAt.getTime();
}

/** The fingerprints as events: at most DNC_FINGERPRINTS_PER_EVENT each, every contact's fingerprints in one chunk. */
export function chunkFingerprints(
  contacts: readonly (readonly string[])[],
  perEvent = DNC_FINGERPRINTS_PER_EVENT,
): { contacts: number; fingerprints: string[] }[] {
  const chunks: { contacts: number; fingerprints: string[] }[] = [];
  let current: { contacts: number; fingerprints: string[] } | null = null;
  for (const fingerprints of contacts) {
    if (fingerprints.length === 0) continue;
    if (!current || current.fingerprints.length + fingerprints.length > perEvent) {
      current = { contacts: 0, fingerprints: [] };
      chunks.push(current);
    }
    current.contacts += 1;
    current.fingerprints.push(...fingerprints);
  }
  return chunks;
}

export type DoNotContactEvent =
  | DomainEvent<'DoNotContactListCreated', EventInput<typeof DoNotContactListCreated>>
  | DomainEvent<'DoNotContactEntriesAdded', EventInput<typeof DoNotContactEntriesAdded>>
  | DomainEvent<'DoNotContactListEnded', EventInput<typeof DoNotContactListEnded>>;

export interface DoNotContactListState {
  exists: boolean;
  expiresAt: Date | null;
  ended: boolean;
}

export type DoNotContactCommand =
  | {
      type: 'CreateList';
      listId: string;
      name: string;
      vertical: string | null;
      expiresAt: Date;
      actor: string;
      /** Contacts to put on the new list in the same append (a list created from a file), as `AddEntries` takes them. */
      contacts?: readonly (readonly string[])[];
    }
  /** Each contact's fingerprints (under every key held), one array per contact. */
  | { type: 'AddEntries'; listId: string; contacts: readonly (readonly string[])[] }
  | { type: 'EndList'; listId: string; actor: string };

/** One list per `dncList-<listId>` stream. */
export const doNotContactDecider: Decider<DoNotContactListState, DoNotContactCommand, DoNotContactEvent> = {
  initialState: { exists: false, expiresAt: null, ended: false },
  evolve(state, event) {
    switch (event.type) {
      case 'DoNotContactListCreated':
        return { ...state, exists: true, expiresAt: new Date(event.data.expiresAt) };
      case 'DoNotContactEntriesAdded':
        return state;
      case 'DoNotContactListEnded':
        return { ...state, ended: true };
    }
  },
  decide(command, state, { now }) {
    switch (command.type) {
      case 'CreateList':
        if (state.exists) throw new DoNotContactListExists(command.listId);
        if (command.expiresAt.getTime() <= now.getTime())
          throw new DoNotContactListInvalid('expiresAt must be in the future');
        return [
          {
            type: 'DoNotContactListCreated',
            data: {
              listId: command.listId,
              name: command.name,
              vertical: command.vertical,
              expiresAt: command.expiresAt.toISOString(),
              createdBy: command.actor,
            },
          },
          ...entriesAdded(command.listId, command.contacts ?? []),
        ];
      case 'AddEntries': {
        if (!state.exists) throw new DoNotContactListNotFound(command.listId);
        if (state.ended) throw new DoNotContactListClosed(command.listId, 'ended');
        if (state.expiresAt!.getTime() <= now.getTime())
          throw new DoNotContactListClosed(command.listId, 'expired');
        return entriesAdded(command.listId, command.contacts);
      }
      case 'EndList':
        if (!state.exists) throw new DoNotContactListNotFound(command.listId);
        if (state.ended) return [];
        return [
          {
            type: 'DoNotContactListEnded',
            data: { listId: command.listId, endedAt: now.toISOString(), endedBy: command.actor },
          },
        ];
    }
  },
};

function entriesAdded(listId: string, contacts: readonly (readonly string[])[]): DoNotContactEvent[] {
  return chunkFingerprints(contacts).map((chunk) => ({
    type: 'DoNotContactEntriesAdded' as const,
    data: { listId, ...chunk },
  }));
}
