import { Body, Controller, Get, HttpCode, Inject, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  Length,
  ValidateNested,
} from 'class-validator';
import {
  CurrentPrincipal,
  ProblemException,
  Roles,
  type Principal,
  Answers,
  PageQuery,
  decodeCursor,
  encodeCursor,
} from '#lx/http';
import { RevokeConsent, SuppressPeople } from '../application/seller-commands.js';
import { ListSuppressions } from '../application/seller-reads.js';
import { normaliseEmail } from '../domain/fingerprint.js';
import { packagedContactChecks } from '../infrastructure/contact-checks.js';
import type { LeadsRuntime } from '../infrastructure/leads-runtime.js';
import { LEADS_RUNTIME } from './leads-runtime.token.js';
import { RevocationAnswer, SuppressionAnswer, SuppressionsAnswer } from './responses.js';

export class PersonContacts {
  @ApiPropertyOptional({ minLength: 3, maxLength: 40, example: '+7 916 123-45-67' })
  @IsOptional()
  @IsString()
  @Length(3, 40)
  phone?: string;

  @ApiPropertyOptional({ minLength: 3, maxLength: 254, example: 'ivan@example.ru' })
  @IsOptional()
  @IsString()
  @Length(3, 254)
  email?: string;

  /** ISO 3166-1 alpha-2: how to read a phone written without its country code. */
  @ApiPropertyOptional({
    minLength: 2,
    maxLength: 2,
    example: 'RU',
    description: 'ISO 3166-1 alpha-2: how to read a phone written without its country code',
  })
  @IsOptional()
  @IsString()
  @Length(2, 2)
  country?: string;
}

export class SuppressionUpload {
  @ApiProperty({ type: () => [PersonContacts], minItems: 1, maxItems: 10_000 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10_000)
  @ValidateNested({ each: true })
  @Type(() => PersonContacts)
  entries!: PersonContacts[];

  @ApiProperty({ enum: ['do_not_contact', 'consent_revoked'] })
  @IsIn(['do_not_contact', 'consent_revoked'])
  reason!: 'do_not_contact' | 'consent_revoked';
}

/**
 * Operator endpoints for people's rights: the suppression list (kept as fingerprints only) and
 * consumer revocation, which erases every lead of the person and suppresses them from then on.
 */
@ApiTags('operator: privacy')
@Roles('operator')
@Controller('v1')
export class PrivacyController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    @Inject(LEADS_RUNTIME) private readonly runtime: LeadsRuntime,
  ) {}

  @Get('suppressions')
  @Answers(SuppressionsAnswer, { description: 'The suppression list, newest first' })
  @ApiOperation({
    summary: 'The suppression list, newest first: keyed fingerprints with their reason (never the contacts)',
  })
  async suppressions(@Query() query: PageQuery) {
    const limit = query.limit ?? 100;
    const offset = Number(decodeCursor(query.cursor, { o: 'position' })?.o ?? 0);
    const rows = await this.queries.execute(new ListSuppressions(limit + 1, offset));
    const items = rows.slice(0, limit).map((row) => ({
      ...row,
      reason: row.reason as 'do_not_contact' | 'consent_revoked',
    }));
    return rows.length > limit
      ? { items, nextCursor: encodeCursor({ o: String(offset + limit) }) }
      : { items };
  }

  @Post('suppressions')
  @Answers(SuppressionAnswer, { description: 'The people are on the suppression list' })
  @HttpCode(200)
  @ApiOperation({
    summary: 'Add people to the suppression list; the contacts are fingerprinted and not stored',
  })
  async suppress(@Body() body: SuppressionUpload) {
    const fingerprints = body.entries.flatMap((entry) => this.fingerprintsOf(entry));
    const added = await this.commands.execute(new SuppressPeople(fingerprints, body.reason));
    return { received: body.entries.length, fingerprintsAdded: added };
  }

  @Post('consumer-revocations')
  @Answers(RevocationAnswer, { description: "The person's leads are erased and suppressed" })
  @HttpCode(200)
  @ApiOperation({
    summary: 'A person revoked consent: erase every lead of theirs and suppress them from now on',
  })
  async revoke(@Body() body: PersonContacts, @CurrentPrincipal() operator: Principal) {
    const fingerprints = this.fingerprintsOf(body);
    const leadIds = await this.commands.execute(
      new RevokeConsent(fingerprints, this.fingerprintsOf(body, 'every key'), operator.participantId),
    );
    return { suppressed: fingerprints.length, leadsErased: leadIds };
  }

  /** Under the current fingerprint key (what is stored), or under every key held (what is looked up). */
  private fingerprintsOf(
    entry: PersonContacts,
    under: 'current key' | 'every key' = 'current key',
  ): string[] {
    const fingerprints: string[] = [];
    const { fingerprints: fingerprinter } = this.runtime;
    if (entry.phone) {
      const e164 = packagedContactChecks.normalisePhone(entry.phone, entry.country?.toUpperCase() ?? '');
      if (!e164) throw invalid('phone', `${entry.phone.slice(0, 40)} is not a valid phone number`);
      fingerprints.push(
        ...(under === 'every key' ? fingerprinter.phones(e164) : [fingerprinter.phone(e164)]),
      );
    }
    if (entry.email) {
      const email = normaliseEmail(entry.email);
      if (!packagedContactChecks.isEmailAddress(email)) throw invalid('email', 'not a valid e-mail address');
      fingerprints.push(
        ...(under === 'every key' ? fingerprinter.emails(email) : [fingerprinter.email(email)]),
      );
    }
    if (fingerprints.length === 0) throw invalid('phone', 'give a phone, an e-mail or both');
    return fingerprints;
  }
}

const invalid = (field: string, message: string) =>
  new ProblemException(400, 'validation-failed', 'The request is not valid', `${field}: ${message}`, {
    errors: [{ field, messages: [message] }],
  });
