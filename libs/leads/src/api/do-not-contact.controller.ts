import { Controller, Get, HttpCode, Inject, Post, Query, Req } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ApiExtraModels,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiQuery,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { Type } from 'class-transformer';
import type { Request } from 'express';
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
  validatedInput,
  type Principal,
} from '#lx/http';
import {
  AddDoNotContactEntries,
  CreateDoNotContactList,
  EndDoNotContactList,
  GetDoNotContactList,
  ListDoNotContactLists,
} from '../application/do-not-contact/do-not-contact-commands.js';
import {
  DO_NOT_CONTACT_FILE_TYPES,
  readDoNotContactFile,
  type DoNotContactFileEntry,
  type DoNotContactFileFormat,
} from '../application/do-not-contact/do-not-contact-file.js';
import type { DoNotContactListView } from '../application/do-not-contact/do-not-contact-store.port.js';
import { normaliseEmail } from '../domain/fingerprint.js';
import { packagedContactChecks } from '../infrastructure/contact-checks.js';
import type { LeadsRuntime } from '../infrastructure/leads-runtime.js';
import { LEADS_RUNTIME } from './leads-runtime.token.js';
import { PersonContacts } from './privacy.controller.js';
import { problemOfUpload } from './problem-of-upload.js';
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

/** How to read the phones of a file written without their country code. */
export class DoNotContactFileQuery {
  @ApiPropertyOptional({ minLength: 2, maxLength: 2, example: 'RU' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z]{2}$/, { message: 'country must be an ISO 3166-1 alpha-2 code, such as RU' })
  country?: string;
}

/** A list created from a file: its terms in the query, the file as the body. */
export class CreateDoNotContactListFromFileQuery extends CreateDoNotContactListRequest {
  @ApiPropertyOptional({ minLength: 2, maxLength: 2, example: 'RU' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z]{2}$/, { message: 'country must be an ISO 3166-1 alpha-2 code, such as RU' })
  country?: string;
}

const FILE_EXAMPLES = {
  'text/csv': 'phone,email\n+7 916 123-45-67,ivan@example.ru\n,anna@example.ru\n',
  'text/plain': '+7 916 123-45-67\nanna@example.ru\n',
};

/** The body of a route that takes the contacts as JSON (`json`) or as a file, CSV or plain text. */
const jsonOrFile = (json: new () => object, description: string) => ({
  required: true,
  description,
  content: {
    'application/json': { schema: { $ref: getSchemaPath(json) } },
    'text/csv': {
      schema: { type: 'string' as const },
      example: FILE_EXAMPLES['text/csv'],
    },
    'text/plain': { schema: { type: 'string' as const }, example: FILE_EXAMPLES['text/plain'] },
  },
});

const FILE_DESCRIPTION =
  "As a file (text/csv or text/plain, UTF-8, at most LX_MAX_BODY_BYTES and 20 000 entries): CSV whose first line names the columns `phone`, `email` and optionally `country` (comma or semicolon), CSV of one column without a header, or plain text with one phone or e-mail a line (an entry with `@` is an e-mail). Phones without their country code are read in the entry's `country`, else the `country` of the query. A bad entry refuses the whole file (400, each named by its line, never its value); nothing is written.";

/** A file's entry, or a JSON entry: where it is named in a refusal, and what it gives. */
interface ContactEntry {
  phone?: string | undefined;
  email?: string | undefined;
  country?: string | undefined;
  problem?: string | undefined;
}

type EntryProblem = { field: string; line?: number; messages: string[] };

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
  @Answers(DoNotContactListAnswer, {
    status: 201,
    description: 'The list, created empty or with the file’s contacts',
  })
  @HttpCode(201)
  @ApiExtraModels(CreateDoNotContactListRequest)
  @ApiQuery({ name: 'name', type: String, required: false, description: 'With a file: the list’s name' })
  @ApiQuery({
    name: 'vertical',
    type: String,
    required: false,
    description: 'With a file: its market; absent, every market',
  })
  @ApiQuery({
    name: 'expiresAt',
    type: String,
    required: false,
    description: 'With a file: its expiry, a UTC instant',
  })
  @ApiQuery({
    name: 'country',
    type: String,
    required: false,
    description: 'With a file: how to read phones without a country code',
  })
  @ApiOperation({
    summary:
      'Create a do-not-contact list for one market or every market, with its expiry (JSON), or from a file',
    description: `As JSON: the list's terms, created empty. ${FILE_DESCRIPTION} With a file the terms are in the query (\`name\`, \`vertical\`, \`expiresAt\`), and the list is created with its contacts in one append.`,
    requestBody: jsonOrFile(CreateDoNotContactListRequest, 'The terms as JSON, or the contacts as a file'),
  })
  async create(@Req() request: Request, @CurrentPrincipal() operator: Principal) {
    const format = fileFormatOf(request);
    const terms = format
      ? await validatedInput(CreateDoNotContactListFromFileQuery, request.query, 'query')
      : await validatedInput(CreateDoNotContactListRequest, request.body, 'body');
    const expiresAt = new Date(terms.expiresAt);
    if (Number.isNaN(expiresAt.getTime())) throw invalidField('expiresAt', 'not a valid instant');
    const contacts = format
      ? this.fileContacts(request, format, (terms as CreateDoNotContactListFromFileQuery).country)
      : [];
    const created = await this.commands.execute(
      new CreateDoNotContactList(
        terms.name,
        terms.vertical ?? null,
        expiresAt,
        operator.participantId,
        contacts,
      ),
    );
    return {
      ...created,
      endedAt: null,
      status: 'active' as const,
      contacts: contacts.length,
      fingerprints: new Set(contacts.flat()).size,
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
  @ApiExtraModels(DoNotContactEntriesRequest)
  @ApiQuery({
    name: 'country',
    type: String,
    required: false,
    description: 'With a file: how to read phones without a country code',
  })
  @ApiOperation({
    summary:
      'Add phones and e-mails to a list, as JSON or a file: each is fingerprinted (never stored); resting leads that match are withdrawn',
    description: `As JSON: \`entries\`, each a phone, an e-mail or both. ${FILE_DESCRIPTION}`,
    requestBody: jsonOrFile(DoNotContactEntriesRequest, 'The contacts, as JSON or as a file'),
  })
  async add(
    @IdParam('listId') listId: string,
    @Req() request: Request,
    @CurrentPrincipal() operator: Principal,
  ) {
    const format = fileFormatOf(request);
    let received: number;
    let contacts: string[][];
    if (format) {
      const { country } = await validatedInput(DoNotContactFileQuery, request.query, 'query');
      const entries = this.fileEntries(request, format);
      received = entries.length;
      contacts = this.fingerprintsOf(withCountry(entries, country), fileEntryProblem(entries));
    } else {
      const { entries } = await validatedInput(DoNotContactEntriesRequest, request.body, 'body');
      received = entries.length;
      contacts = this.fingerprintsOf(entries, jsonEntryProblem);
    }
    const { chunks } = await this.commands.execute(
      new AddDoNotContactEntries(listId, contacts, operator.participantId),
    );
    return { listId, received, contacts: contacts.length, events: chunks };
  }

  @Post(':listId/end')
  @Answers(DoNotContactListEndedAnswer, { description: 'The list no longer applies' })
  @HttpCode(200)
  @ApiOperation({ summary: 'End a list before its expiry: from now on it refuses and withdraws nothing' })
  async end(@IdParam('listId') listId: string, @CurrentPrincipal() operator: Principal) {
    const { endedAt } = await this.commands.execute(new EndDoNotContactList(listId, operator.participantId));
    return { listId, endedAt, alreadyEnded: endedAt === null };
  }

  /** The file's entries, read whole; a file that cannot be read is refused before anything is written. */
  private fileEntries(request: Request, format: DoNotContactFileFormat): DoNotContactFileEntry[] {
    const text = typeof request.body === 'string' ? request.body : '';
    try {
      return readDoNotContactFile(text, format, DNC_CONTACTS_PER_REQUEST);
    } catch (error) {
      throw problemOfUpload(error);
    }
  }

  private fileContacts(
    request: Request,
    format: DoNotContactFileFormat,
    country: string | undefined,
  ): string[][] {
    const entries = this.fileEntries(request, format);
    return this.fingerprintsOf(withCountry(entries, country), fileEntryProblem(entries));
  }

  /**
   * Each entry's phone and e-mail as one contact each, fingerprinted under every key held (so a
   * list matches leads fingerprinted before a key rotation too). Every bad entry is named (by
   * `problemOf`: its index, or its line in a file) and none of its value.
   */
  private fingerprintsOf(
    entries: readonly ContactEntry[],
    problemOf: (index: number, field: 'phone' | 'email' | null, message: string) => EntryProblem,
  ): string[][] {
    const contacts: string[][] = [];
    const problems: EntryProblem[] = [];
    const { fingerprints } = this.runtime;
    entries.forEach((entry, index) => {
      if (entry.problem) problems.push(problemOf(index, null, entry.problem));
      else if (!entry.phone && !entry.email)
        problems.push(problemOf(index, null, 'give a phone, an e-mail or both'));
      if (entry.phone) {
        const e164 = packagedContactChecks.normalisePhone(entry.phone, entry.country?.toUpperCase() ?? '');
        if (!e164) problems.push(problemOf(index, 'phone', 'not a valid phone number'));
        else contacts.push(fingerprints.phones(e164));
      }
      if (entry.email) {
        const email = normaliseEmail(entry.email);
        if (!packagedContactChecks.isEmailAddress(email))
          problems.push(problemOf(index, 'email', 'not a valid e-mail address'));
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
            .join(', ') +
          '; nothing was added',
        { errors: problems.slice(0, NAMED_PROBLEMS) },
      );
    return contacts;
  }
}

/** The file's format, or undefined for JSON; any other body is refused with 415. */
function fileFormatOf(request: Request): DoNotContactFileFormat | undefined {
  const mediaType = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (mediaType === 'application/json' || mediaType.endsWith('+json')) return undefined;
  const format = DO_NOT_CONTACT_FILE_TYPES[mediaType];
  if (!format)
    throw new ProblemException(
      415,
      'unsupported-media-type',
      'Unsupported media type',
      'Send JSON (application/json) or a file: text/csv or text/plain',
    );
  return format;
}

/** The query's country for the phones whose line gives none. */
const withCountry = (entries: DoNotContactFileEntry[], country: string | undefined): ContactEntry[] =>
  entries.map((entry) => ({ ...entry, country: entry.country ?? country }));

const jsonEntryProblem = (index: number, field: 'phone' | 'email' | null, message: string): EntryProblem => ({
  field: field ? `entries.${index}.${field}` : `entries.${index}`,
  messages: [message],
});

const fileEntryProblem =
  (entries: readonly DoNotContactFileEntry[]) =>
  (index: number, field: 'phone' | 'email' | null, message: string): EntryProblem => {
    const { line } = entries[index]!;
    return { field: `line ${line}`, line, messages: [field ? `${field}: ${message}` : message] };
  };

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
