import { Body, Controller, Get, HttpCode, Inject, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsISO8601,
  IsOptional,
  IsString,
  Length,
  Matches,
  ValidateNested,
} from 'class-validator';
import {
  Answers,
  CurrentPrincipal,
  IdParam,
  PageQuery,
  ProblemException,
  Roles,
  decodeCursor,
  encodeCursor,
  type Principal,
} from '#lx/http';
import {
  AddDoNotContactEntries,
  CreateDoNotContactList,
  EndDoNotContactList,
  GetDoNotContactList,
  ListDoNotContactLists,
} from '../application/do-not-contact/do-not-contact-commands.js';
import type { DoNotContactListView } from '../application/do-not-contact/do-not-contact-store.port.js';
import { normaliseEmail } from '../domain/fingerprint.js';
import { packagedContactChecks } from '../infrastructure/contact-checks.js';
import type { LeadsRuntime } from '../infrastructure/leads-runtime.js';
import { LEADS_RUNTIME } from './leads-runtime.token.js';
import { PersonContacts } from './privacy.controller.js';
import {
  DoNotContactEntriesAnswer,
  DoNotContactListAnswer,
  DoNotContactListEndedAnswer,
  DoNotContactListsAnswer,
} from './responses.js';

/** The most contacts one request adds (a JSON body stays under LX_MAX_BODY_BYTES); send more in several. */
export const DNC_CONTACTS_PER_REQUEST = 20_000;

export class CreateDoNotContactListRequest {
  @ApiProperty({ minLength: 1, maxLength: 200, example: 'Regulator DNC register, December' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiPropertyOptional({
    example: 'auto_insurance',
    description: 'The market the list applies to; absent or null: every market (a global list)',
    nullable: true,
    type: String,
  })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z][a-z0-9_]{0,39}$/, { message: 'vertical must be a lower-case vertical slug' })
  vertical?: string | null;

  @ApiProperty({
    example: '2030-01-01T00:00:00.000Z',
    description: 'UTC instant, in the future: the list applies until then',
  })
  @IsISO8601({ strict: true })
  @Matches(/Z$/, { message: 'expiresAt must be a UTC instant ending in Z' })
  expiresAt!: string;
}

export class DoNotContactEntriesRequest {
  @ApiProperty({ type: () => [PersonContacts], minItems: 1, maxItems: DNC_CONTACTS_PER_REQUEST })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(DNC_CONTACTS_PER_REQUEST)
  @ValidateNested({ each: true })
  @Type(() => PersonContacts)
  entries!: PersonContacts[];
}

/** At most this many bad entries are named in a refusal. */
const NAMED_PROBLEMS = 100;

/**
 * Operator routes for do-not-contact lists (docs/architecture.md §4.3). Served by the sellers app
 * because it holds the fingerprint keys: contacts are fingerprinted here and never stored, logged
 * or appended in clear; the lists themselves are events on `dncList-<listId>`.
 */
@ApiTags('operator: privacy')
@Roles('operator')
@Controller('v1/do-not-contact-lists')
export class DoNotContactController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    @Inject(LEADS_RUNTIME) private readonly runtime: LeadsRuntime,
  ) {}

  @Post()
  @Answers(DoNotContactListAnswer, { status: 201, description: 'The list, created empty' })
  @HttpCode(201)
  @ApiOperation({ summary: 'Create a do-not-contact list for one market or every market, with its expiry' })
  async create(@Body() body: CreateDoNotContactListRequest, @CurrentPrincipal() operator: Principal) {
    const expiresAt = new Date(body.expiresAt);
    if (Number.isNaN(expiresAt.getTime())) throw invalidField('expiresAt', 'not a valid instant');
    const created = await this.commands.execute(
      new CreateDoNotContactList(body.name, body.vertical ?? null, expiresAt, operator.participantId),
    );
    return {
      ...created,
      endedAt: null,
      status: 'active' as const,
      contacts: 0,
      fingerprints: 0,
    };
  }

  @Get()
  @Answers(DoNotContactListsAnswer, {
    description: 'The do-not-contact lists, newest first, with their counts',
  })
  @ApiOperation({ summary: 'The do-not-contact lists, newest first, with their counts (never the contacts)' })
  async list(@Query() query: PageQuery) {
    const limit = query.limit ?? 100;
    const offset = Number(decodeCursor(query.cursor, { o: 'position' })?.o ?? 0);
    const rows = await this.queries.execute(new ListDoNotContactLists(limit + 1, offset));
    const now = new Date();
    const items = rows.slice(0, limit).map((row) => view(row, now));
    return rows.length > limit
      ? { items, nextCursor: encodeCursor({ o: String(offset + limit) }) }
      : { items };
  }

  @Get(':listId')
  @Answers(DoNotContactListAnswer, { description: 'The list and its counts' })
  @ApiOperation({ summary: 'One do-not-contact list and its counts' })
  async get(@IdParam('listId') listId: string) {
    const row = await this.queries.execute(new GetDoNotContactList(listId));
    if (!row) throw notFound(listId);
    return view(row, new Date());
  }

  @Post(':listId/entries')
  @Answers(DoNotContactEntriesAnswer, { description: 'The contacts are on the list (as fingerprints)' })
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Add phones and e-mails to a list: each is fingerprinted (never stored); resting leads that match are withdrawn',
  })
  async add(
    @IdParam('listId') listId: string,
    @Body() body: DoNotContactEntriesRequest,
    @CurrentPrincipal() operator: Principal,
  ) {
    const contacts = this.fingerprintsOf(body.entries);
    const { chunks } = await this.commands.execute(
      new AddDoNotContactEntries(listId, contacts, operator.participantId),
    );
    return { listId, received: body.entries.length, contacts: contacts.length, events: chunks };
  }

  @Post(':listId/end')
  @Answers(DoNotContactListEndedAnswer, { description: 'The list no longer applies' })
  @HttpCode(200)
  @ApiOperation({ summary: 'End a list before its expiry: from now on it refuses and withdraws nothing' })
  async end(@IdParam('listId') listId: string, @CurrentPrincipal() operator: Principal) {
    const { endedAt } = await this.commands.execute(new EndDoNotContactList(listId, operator.participantId));
    return { listId, endedAt, alreadyEnded: endedAt === null };
  }

  /**
   * Each entry's phone and e-mail as one contact each, fingerprinted under every key held (so a
   * list matches leads fingerprinted before a key rotation too). Every bad entry is named (its
   * index and field), none of its value.
   */
  private fingerprintsOf(entries: PersonContacts[]): string[][] {
    const contacts: string[][] = [];
    const problems: { field: string; messages: string[] }[] = [];
    const { fingerprints } = this.runtime;
    entries.forEach((entry, index) => {
      if (!entry.phone && !entry.email)
        problems.push({ field: `entries.${index}`, messages: ['give a phone, an e-mail or both'] });
      if (entry.phone) {
        const e164 = packagedContactChecks.normalisePhone(entry.phone, entry.country?.toUpperCase() ?? '');
        if (!e164) problems.push({ field: `entries.${index}.phone`, messages: ['not a valid phone number'] });
        else contacts.push(fingerprints.phones(e164));
      }
      if (entry.email) {
        const email = normaliseEmail(entry.email);
        if (!packagedContactChecks.isEmailAddress(email))
          problems.push({ field: `entries.${index}.email`, messages: ['not a valid e-mail address'] });
        else contacts.push(fingerprints.emails(email));
      }
    });
    if (problems.length > 0)
      throw new ProblemException(
        400,
        'validation-failed',
        'The request is not valid',
        `${problems.length} entr${problems.length === 1 ? 'y is' : 'ies are'} not valid: ` +
          problems
            .slice(0, 5)
            .map((problem) => problem.field)
            .join(', '),
        { errors: problems.slice(0, NAMED_PROBLEMS) },
      );
    return contacts;
  }
}

function view(row: DoNotContactListView, now: Date) {
  const status: 'active' | 'expired' | 'ended' =
    row.endedAt !== null && row.endedAt.getTime() <= now.getTime()
      ? 'ended'
      : row.expiresAt.getTime() <= now.getTime()
        ? 'expired'
        : 'active';
  return {
    listId: row.listId,
    name: row.name,
    vertical: row.vertical,
    expiresAt: row.expiresAt.toISOString(),
    endedAt: row.endedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    status,
    contacts: row.contacts,
    fingerprints: row.fingerprints,
  };
}

const notFound = (listId: string) =>
  new ProblemException(
    404,
    'do-not-contact-list-not-found',
    'Not found',
    `Do-not-contact list ${listId} was not found`,
    {
      listId,
    },
  );

const invalidField = (field: string, message: string) =>
  new ProblemException(400, 'validation-failed', 'The request is not valid', `${field}: ${message}`, {
    errors: [{ field, messages: [message] }],
  });
