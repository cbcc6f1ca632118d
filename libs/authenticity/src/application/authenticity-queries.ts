import { Inject, Logger } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import {
  AuthenticityReads,
  type AuthenticitySampleRow,
  type AuthenticitySourceRow,
  type AuthenticityTaskRow,
  type SourceStatusRow,
} from './authenticity-reads.port.js';
import { AuthenticityVerifier } from './authenticity-verifier.port.js';
import { LeadContacts, type LeadContact } from './lead-contacts.port.js';

/** What staff are asked to do for every task. */
export const CONTACT_CHECK =
  'Contact the person: confirm that they made this enquiry and agreed to be contacted. Answer confirmed, unreachable or denied, with what was done and found.';

export interface AuthenticityTaskView extends Omit<AuthenticityTaskRow, 'position'> {
  check: string;
  /** Who is expected to answer: the verification staff, or a plugged-in provider. */
  assignedTo: 'staff' | 'provider';
  contact: LeadContact;
}

/** The open checks, oldest draw first; each with the person's contact, opened for the operator. */
export interface TaskCursor {
  commit: string;
  prepare: string;
  rank: number;
}

export class ListAuthenticityTasks extends Query<{
  items: AuthenticityTaskView[];
  hasMore: boolean;
  last: TaskCursor | null;
}> {
  constructor(
    readonly operatorId: string,
    readonly limit: number,
    readonly after: TaskCursor | null,
  ) {
    super();
  }
}

export type AuthenticityTaskSummary = Omit<AuthenticityTaskRow, 'position'>;

/** A batch's sample: its state, the tally and each task (no personal data). */
export class GetAuthenticitySample extends Query<{
  sample: AuthenticitySampleRow;
  tasks: AuthenticityTaskSummary[];
} | null> {
  constructor(readonly batchId: string) {
    super();
  }
}

export class ListAuthenticitySamples extends Query<AuthenticitySampleRow[]> {
  constructor(
    readonly status: AuthenticitySampleRow['status'],
    readonly limit: number,
  ) {
    super();
  }
}

/** A seller's source in a market: its record and the checks drawn by its rule (no personal data). */
export class GetAuthenticitySource extends Query<{
  source: AuthenticitySourceRow;
  tasks: AuthenticityTaskSummary[];
} | null> {
  constructor(readonly sourceId: string) {
    super();
  }
}

export class ListAuthenticitySources extends Query<AuthenticitySourceRow[]> {
  constructor(
    readonly status: SourceStatusRow,
    readonly limit: number,
  ) {
    super();
  }
}

@QueryHandler(ListAuthenticityTasks)
export class ListAuthenticityTasksHandler implements IQueryHandler<ListAuthenticityTasks> {
  private readonly logger = new Logger('personal-data');

  constructor(
    @Inject(AuthenticityReads) private readonly reads: AuthenticityReads,
    @Inject(LeadContacts) private readonly contacts: LeadContacts,
    @Inject(AuthenticityVerifier) private readonly verifier: AuthenticityVerifier,
  ) {}

  async execute({ operatorId, limit, after }: ListAuthenticityTasks) {
    const { items, hasMore } = await this.reads.openTasks(limit, after);
    const leadIds = items.map((task) => task.leadId);
    const contacts = await this.contacts.contactsOf(leadIds);
    // Every opening of personal data is logged: who, which leads, why.
    if (leadIds.length > 0)
      this.logger.log(
        JSON.stringify({
          event: 'personal-data-opened',
          actor: operatorId,
          purpose: 'authenticity-check',
          leadIds,
        }),
      );
    const unavailable: LeadContact = { status: 'unavailable', name: null, phone: null, email: null };
    return {
      items: items.map(({ position: _position, ...task }) => ({
        ...task,
        check: CONTACT_CHECK,
        assignedTo: this.verifier.answeredBy,
        contact: contacts.get(task.leadId) ?? unavailable,
      })),
      hasMore,
      last: lastOf(items),
    };
  }
}

@QueryHandler(GetAuthenticitySample)
export class GetAuthenticitySampleHandler implements IQueryHandler<GetAuthenticitySample> {
  constructor(@Inject(AuthenticityReads) private readonly reads: AuthenticityReads) {}

  async execute({ batchId }: GetAuthenticitySample) {
    const found = await this.reads.sample(batchId);
    if (!found) return null;
    return { sample: found.sample, tasks: found.tasks.map(({ position: _position, ...task }) => task) };
  }
}

@QueryHandler(ListAuthenticitySamples)
export class ListAuthenticitySamplesHandler implements IQueryHandler<ListAuthenticitySamples> {
  constructor(@Inject(AuthenticityReads) private readonly reads: AuthenticityReads) {}

  execute({ status, limit }: ListAuthenticitySamples) {
    return this.reads.samples(status, limit);
  }
}

@QueryHandler(GetAuthenticitySource)
export class GetAuthenticitySourceHandler implements IQueryHandler<GetAuthenticitySource> {
  constructor(@Inject(AuthenticityReads) private readonly reads: AuthenticityReads) {}

  async execute({ sourceId }: GetAuthenticitySource) {
    const found = await this.reads.sourceRecord(sourceId);
    if (!found) return null;
    return { source: found.source, tasks: found.tasks.map(({ position: _position, ...task }) => task) };
  }
}

@QueryHandler(ListAuthenticitySources)
export class ListAuthenticitySourcesHandler implements IQueryHandler<ListAuthenticitySources> {
  constructor(@Inject(AuthenticityReads) private readonly reads: AuthenticityReads) {}

  execute({ status, limit }: ListAuthenticitySources) {
    return this.reads.sources(status, limit);
  }
}

export const authenticityQueryHandlers = [
  ListAuthenticityTasksHandler,
  GetAuthenticitySampleHandler,
  ListAuthenticitySamplesHandler,
  GetAuthenticitySourceHandler,
  ListAuthenticitySourcesHandler,
];

function lastOf(items: readonly AuthenticityTaskRow[]): TaskCursor | null {
  const last = items.at(-1);
  return last ? { ...last.position, rank: last.rank } : null;
}
