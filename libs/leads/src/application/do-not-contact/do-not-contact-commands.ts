import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { Command, CommandHandler, Query, type ICommandHandler } from '@nestjs/cqrs';
import { doNotContactDecider } from '../../domain/do-not-contact.js';
import { LEADS_RUNTIME, type LeadsServices } from '../leads-tokens.js';
import type { DoNotContactListView } from './do-not-contact-store.port.js';

/*
 * The operator's do-not-contact lists (docs/architecture.md §4.3). The controller turns contacts
 * into fingerprints (the keys are this app's); the commands append them to the list's stream.
 */

export interface CreatedDoNotContactList {
  listId: string;
  name: string;
  vertical: string | null;
  expiresAt: string;
  createdAt: string;
}

/**
 * A new list for one market (`vertical`) or every market (null): empty, or with `contacts` (each
 * one's fingerprints, as `AddDoNotContactEntries` takes them) added in the same append.
 */
export class CreateDoNotContactList extends Command<CreatedDoNotContactList> {
  constructor(
    readonly name: string,
    readonly vertical: string | null,
    readonly expiresAt: Date,
    readonly actor: string,
    readonly contacts: string[][] = [],
  ) {
    super();
  }
}

/** Contacts added to a list: each one's fingerprints under every key held. Answers the events' count. */
export class AddDoNotContactEntries extends Command<{ chunks: number }> {
  constructor(
    readonly listId: string,
    readonly contacts: string[][],
    readonly actor: string,
  ) {
    super();
  }
}

/** The operator ends a list before its expiry; ending it twice is answered as the first time. */
export class EndDoNotContactList extends Command<{ endedAt: string | null }> {
  constructor(
    readonly listId: string,
    readonly actor: string,
  ) {
    super();
  }
}

/** A list with its counts; null when the sellers app has not seen it (yet). */
export class GetDoNotContactList extends Query<DoNotContactListView | null> {
  constructor(readonly listId: string) {
    super();
  }
}

/** The lists, newest first. */
export class ListDoNotContactLists extends Query<DoNotContactListView[]> {
  constructor(
    readonly rows: number,
    readonly offset: number,
  ) {
    super();
  }
}

const stream = (listId: string) => `dncList-${listId}`;

@CommandHandler(CreateDoNotContactList)
export class CreateDoNotContactListHandler implements ICommandHandler<CreateDoNotContactList> {
  constructor(@Inject(LEADS_RUNTIME) private readonly runtime: LeadsServices) {}

  async execute({
    name,
    vertical,
    expiresAt,
    actor,
    contacts,
  }: CreateDoNotContactList): Promise<CreatedDoNotContactList> {
    const listId = randomUUID();
    const { events } = await this.runtime.aggregates.handle(
      stream(listId),
      doNotContactDecider,
      { type: 'CreateList', listId, name, vertical, expiresAt, actor, contacts },
      { metadata: { actor, correlationId: listId } },
    );
    const created = events[0]!;
    if (created.type !== 'DoNotContactListCreated') throw new Error('expected DoNotContactListCreated');
    return {
      listId,
      name,
      vertical,
      expiresAt: created.data.expiresAt,
      createdAt: new Date().toISOString(),
    };
  }
}

@CommandHandler(AddDoNotContactEntries)
export class AddDoNotContactEntriesHandler implements ICommandHandler<AddDoNotContactEntries> {
  constructor(@Inject(LEADS_RUNTIME) private readonly runtime: LeadsServices) {}

  async execute({ listId, contacts, actor }: AddDoNotContactEntries): Promise<{ chunks: number }> {
    const { events } = await this.runtime.aggregates.handle(
      stream(listId),
      doNotContactDecider,
      { type: 'AddEntries', listId, contacts },
      { metadata: { actor, correlationId: listId } },
    );
    return { chunks: events.length };
  }
}

@CommandHandler(EndDoNotContactList)
export class EndDoNotContactListHandler implements ICommandHandler<EndDoNotContactList> {
  constructor(@Inject(LEADS_RUNTIME) private readonly runtime: LeadsServices) {}

  async execute({ listId, actor }: EndDoNotContactList): Promise<{ endedAt: string | null }> {
    const { events } = await this.runtime.aggregates.handle(
      stream(listId),
      doNotContactDecider,
      { type: 'EndList', listId, actor },
      { metadata: { actor, correlationId: listId } },
    );
    const ended = events[0];
    return { endedAt: ended?.type === 'DoNotContactListEnded' ? ended.data.endedAt : null };
  }
}

export const doNotContactCommandHandlers = [
  CreateDoNotContactListHandler,
  AddDoNotContactEntriesHandler,
  EndDoNotContactListHandler,
];
