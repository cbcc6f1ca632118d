import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  CONTACT_KINDS,
  DELIVERY_METHODS,
  EMPLOYMENT_STATUSES,
  ENTITY_ID_PATTERN,
  GENDERS,
  LEAD_SOURCE_PATTERN,
  LEAD_STAGES,
  MARITAL_STATUSES,
  MODIFIER_ATTRIBUTES,
  ORDER_EXCLUSIVITIES,
  POSTAL_PREFIX_PATTERN,
  SCHEDULE_FROM_PATTERN,
  SCHEDULE_TO_PATTERN,
  SLUG_PATTERN,
  VERTICAL_PATTERN,
  WEEKDAYS,
} from '#lx/contracts';
import { IsKnownCountries, IsKnownRegions, IsKnownTimeZone, NotBelow } from './validators.js';

/*
 * HTTP mirror of the catalogue's `OrderFilters` and `orderTermsShape` (libs/contracts): every field
 * error is named here; the catalogue's own schema then checks the whole terms once more. The
 * vocabularies and patterns are the catalogue's own; order-terms.dtos.unit.spec.ts proves that
 * each field accepts and refuses what the catalogue's schema does.
 */

type Exclusivity = (typeof ORDER_EXCLUSIVITIES)[number];
type Delivery = (typeof DELIVERY_METHODS)[number];

const setOf = (max = 500) => [IsArray(), ArrayNotEmpty(), ArrayUnique(), ArrayMaxSize(max)];
const apply =
  (...decorators: PropertyDecorator[]): PropertyDecorator =>
  (target, key) =>
    decorators.forEach((decorator) => decorator(target, key));

/** One of a seller's sources (or of every seller's, without sellerId), or one sub-source of it. */
export class SourceFilterDto {
  @ApiPropertyOptional({
    example: 'seller-1',
    description: 'The seller whose source it is; absent: any seller',
  })
  @IsOptional()
  @Matches(ENTITY_ID_PATTERN, { message: 'sellerId must be a participant id' })
  sellerId?: string;

  @ApiProperty({ example: 'google', description: 'The seller’s source tag' })
  @Matches(LEAD_SOURCE_PATTERN, { message: 'source must be a source tag (letters, digits, . _ -)' })
  source!: string;

  @ApiPropertyOptional({ example: 'brand', description: 'One sub-source of it; absent: all of them' })
  @IsOptional()
  @Matches(LEAD_SOURCE_PATTERN, { message: 'subSource must be a source tag (letters, digits, . _ -)' })
  subSource?: string;
}

export class OrderFiltersDto {
  @ApiPropertyOptional({ minimum: 18, maximum: 120, example: 30 })
  @IsOptional()
  @IsInt()
  @Min(18)
  @Max(120)
  ageMin?: number;

  @ApiPropertyOptional({ minimum: 18, maximum: 120, description: 'Not below ageMin' })
  @IsOptional()
  @IsInt()
  @Min(18)
  @Max(120)
  @NotBelow('ageMin')
  ageMax?: number;

  @ApiPropertyOptional({ enum: GENDERS, isArray: true })
  @IsOptional()
  @apply(...setOf())
  @IsIn(GENDERS, { each: true })
  genders?: string[];

  @ApiPropertyOptional({ example: ['RU'], description: 'ISO 3166-1 alpha-2' })
  @IsOptional()
  @apply(...setOf())
  @IsKnownCountries()
  countries?: string[];

  @ApiPropertyOptional({ example: ['RU-MOW', 'RU-SPE'], description: 'ISO 3166-2 subdivisions' })
  @IsOptional()
  @apply(...setOf())
  @IsKnownRegions()
  regions?: string[];

  @ApiPropertyOptional({ example: ['28'], description: 'Upper-case starts of postal codes' })
  @IsOptional()
  @apply(...setOf())
  @Matches(POSTAL_PREFIX_PATTERN, {
    each: true,
    message: 'postalPrefixes must hold upper-case postal prefixes',
  })
  postalPrefixes?: string[];

  @ApiPropertyOptional({
    enum: CONTACT_KINDS,
    isArray: true,
    description: 'Contact fields the lead must have',
  })
  @IsOptional()
  @apply(...setOf())
  @IsIn(CONTACT_KINDS, { each: true })
  requiredContacts?: string[];

  @ApiPropertyOptional({
    description: 'The required contacts must also be verified (needs requiredContacts)',
  })
  @IsOptional()
  @IsBoolean()
  requireVerified?: boolean;

  @ApiPropertyOptional({ enum: EMPLOYMENT_STATUSES, isArray: true })
  @IsOptional()
  @apply(...setOf())
  @IsIn(EMPLOYMENT_STATUSES, { each: true })
  employment?: string[];

  @ApiPropertyOptional({ enum: MARITAL_STATUSES, isArray: true })
  @IsOptional()
  @apply(...setOf())
  @IsIn(MARITAL_STATUSES, { each: true })
  maritalStatus?: string[];

  @ApiPropertyOptional({ example: ['premium_glasses'], description: 'At least one of these interests' })
  @IsOptional()
  @apply(...setOf(50))
  @Matches(SLUG_PATTERN, { each: true, message: 'interestsAny must hold lower_snake_case codes' })
  interestsAny?: string[];

  @ApiPropertyOptional({ description: 'Every one of these interests' })
  @IsOptional()
  @apply(...setOf(50))
  @Matches(SLUG_PATTERN, { each: true, message: 'interestsAll must hold lower_snake_case codes' })
  interestsAll?: string[];

  @ApiPropertyOptional({ enum: LEAD_STAGES, isArray: true })
  @IsOptional()
  @apply(...setOf())
  @IsIn(LEAD_STAGES, { each: true })
  stages?: string[];

  @ApiPropertyOptional({ example: ['landing_page'] })
  @IsOptional()
  @apply(...setOf())
  @Matches(SLUG_PATTERN, { each: true, message: 'sourceChannels must hold lower_snake_case codes' })
  sourceChannels?: string[];

  @ApiPropertyOptional({ example: 5, description: 'Minutes between capture and match (scenario 4: 5)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  maxLeadAgeMinutes?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 100 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  minQuality?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 100 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  minSellerQuality?: number;

  @ApiPropertyOptional({ description: 'Only these sellers' })
  @IsOptional()
  @apply(...setOf())
  @Matches(ENTITY_ID_PATTERN, { each: true, message: 'sellersIncluded must hold participant ids' })
  sellersIncluded?: string[];

  @ApiPropertyOptional({ description: 'Never these sellers' })
  @IsOptional()
  @apply(...setOf())
  @Matches(ENTITY_ID_PATTERN, { each: true, message: 'sellersExcluded must hold participant ids' })
  sellersExcluded?: string[];

  @ApiPropertyOptional({
    type: [SourceFilterDto],
    description:
      'Only leads from one of these sources of the sellers (a lead without a source is from none). ' +
      'An entry without sellerId names the source of every seller; without subSource every sub-source of it.',
  })
  @IsOptional()
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => SourceFilterDto)
  sourcesIncluded?: SourceFilterDto[];

  @ApiPropertyOptional({
    type: [SourceFilterDto],
    description: 'Never leads from these sources (entries as in sourcesIncluded, not overlapping them)',
  })
  @IsOptional()
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => SourceFilterDto)
  sourcesExcluded?: SourceFilterDto[];

  @ApiPropertyOptional({
    description:
      "Only sample-verified leads: the lead's batch passed its authenticity sample (the exchange checked a sample of the batch's contacts and the failures stayed under the market's threshold), or its seller's source is verified by its checks and not held",
  })
  @IsOptional()
  @IsBoolean()
  requireSampleVerified?: boolean;
}

export class BidModifierDto {
  @ApiProperty({ enum: MODIFIER_ATTRIBUTES, example: 'employment' })
  @IsIn(MODIFIER_ATTRIBUTES)
  attribute!: string;

  @ApiPropertyOptional({ description: 'The attribute equals this value (exactly one of equals / in)' })
  @IsOptional()
  @IsString()
  equals?: string;

  @ApiPropertyOptional({
    example: ['employed', 'self_employed'],
    description: 'The attribute is one of these',
  })
  @IsOptional()
  @apply(...setOf())
  @IsString({ each: true })
  in?: string[];

  @ApiProperty({ example: 5000, description: 'Added to the bid, minor units' })
  @IsInt()
  @Min(1)
  add!: number;
}

export class ScheduleWindowDto {
  @ApiProperty({ enum: WEEKDAYS, isArray: true, example: ['mon', 'tue', 'wed', 'thu', 'fri'] })
  @apply(...setOf(7))
  @IsIn(WEEKDAYS, { each: true })
  days!: string[];

  @ApiProperty({
    example: '09:00',
    pattern: SCHEDULE_FROM_PATTERN.source,
    description: 'Local time it opens (HH:MM, included)',
  })
  @Matches(SCHEDULE_FROM_PATTERN, { message: 'from must be a time HH:MM from 00:00 to 23:59' })
  from!: string;

  @ApiProperty({
    example: '18:00',
    pattern: SCHEDULE_TO_PATTERN.source,
    description:
      'Local time it closes (HH:MM, excluded; 24:00 is midnight at the end of the day); after from',
  })
  @Matches(SCHEDULE_TO_PATTERN, { message: 'to must be a time HH:MM from 00:01 to 24:00' })
  to!: string;
}

export class DeliveryScheduleDto {
  @ApiProperty({
    example: 'Europe/Madrid',
    description: 'The buyer’s IANA time zone: the windows are its local times',
  })
  @IsKnownTimeZone()
  timeZone!: string;

  @ApiProperty({
    type: [ScheduleWindowDto],
    description:
      'Weekly windows, e.g. Mon–Fri 09:00–18:00 and Sat 10:00–14:00; windows may not overlap on a day ' +
      '(split one that crosses midnight into two)',
  })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => ScheduleWindowDto)
  windows!: ScheduleWindowDto[];
}

export class OrderTermsRequest {
  @ApiProperty({ type: OrderFiltersDto, description: 'Absent filters accept every lead' })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => OrderFiltersDto)
  filters!: OrderFiltersDto;

  @ApiProperty({ example: 60000, description: 'Base bid per lead, minor units' })
  @IsInt()
  @Min(1)
  bid!: number;

  @ApiPropertyOptional({ example: 60000, description: 'Cap on bid + modifiers; not below bid' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @NotBelow('bid')
  maxBid?: number;

  @ApiProperty({ type: [BidModifierDto], description: 'Added to the bid for desirable attributes' })
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => BidModifierDto)
  modifiers!: BidModifierDto[];

  @ApiProperty({ example: 50, description: 'Leads wanted over the order’s life' })
  @IsInt()
  @Min(1)
  quantity!: number;

  @ApiProperty({
    example: 3000000,
    description: 'Money reserved for the order, minor units; at least one bid',
  })
  @IsInt()
  @Min(1)
  @NotBelow('bid')
  budget!: number;

  @ApiPropertyOptional({ description: 'Leads per market day' })
  @IsOptional()
  @IsInt()
  @Min(1)
  dailyCapCount?: number;

  @ApiPropertyOptional({ description: 'Spend per market day, minor units' })
  @IsOptional()
  @IsInt()
  @Min(1)
  dailyCapSpend?: number;

  @ApiPropertyOptional({ description: 'Leads per clock hour of the market clock (UTC hours)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  hourlyCapCount?: number;

  @ApiPropertyOptional({ description: 'Spend per clock hour of the market clock (UTC hours), minor units' })
  @IsOptional()
  @IsInt()
  @Min(1)
  hourlyCapSpend?: number;

  @ApiPropertyOptional({
    type: DeliveryScheduleDto,
    description:
      'When the order accepts leads, in the buyer’s time zone; absent: at any time. Outside its windows ' +
      'the order does not match; when a window opens, the market clock offers it the resting leads.',
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => DeliveryScheduleDto)
  schedule?: DeliveryScheduleDto;

  @ApiProperty({ enum: ORDER_EXCLUSIVITIES })
  @IsIn(ORDER_EXCLUSIVITIES)
  exclusivity!: Exclusivity;

  @ApiPropertyOptional({ example: '2030-01-01T00:00:00.000Z', description: 'UTC instant; in the future' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(/Z$/, { message: 'expiresAt must be a UTC instant ending in Z' })
  expiresAt?: string;

  @ApiProperty({ enum: DELIVERY_METHODS })
  @IsIn(DELIVERY_METHODS)
  delivery!: Delivery;
}

export class PlaceOrderRequest extends OrderTermsRequest {
  @ApiProperty({ example: 'eyewear', description: 'The market; its currency is the order’s' })
  @Matches(VERTICAL_PATTERN, { message: 'vertical must be a lower-case vertical slug' })
  vertical!: string;
}

export class PreviewOrderRequest {
  @ApiProperty({ example: 'eyewear' })
  @Matches(VERTICAL_PATTERN, { message: 'vertical must be a lower-case vertical slug' })
  vertical!: string;

  @ApiProperty({ type: OrderFiltersDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => OrderFiltersDto)
  filters!: OrderFiltersDto;

  @ApiPropertyOptional({ description: 'Count the matches whose floor this bid meets' })
  @IsOptional()
  @IsInt()
  @Min(1)
  bid?: number;

  @ApiPropertyOptional({ enum: ORDER_EXCLUSIVITIES })
  @IsOptional()
  @IsIn(ORDER_EXCLUSIVITIES)
  exclusivity?: Exclusivity;

  @ApiPropertyOptional({
    type: DeliveryScheduleDto,
    description: 'The order’s schedule: the answer says whether the order would match now',
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => DeliveryScheduleDto)
  schedule?: DeliveryScheduleDto;
}
