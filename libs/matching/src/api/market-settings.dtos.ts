import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';

export class ChangeMarketSettingsRequest {
  @ApiProperty({ example: 'RUB', description: 'ISO 4217; required: a market never guesses its currency' })
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code such as RUB or EUR' })
  currency!: string;

  @ApiPropertyOptional({
    example: 1500,
    description: "Commission in basis points of the price, deducted from the seller's proceeds",
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10_000)
  commissionBps?: number;

  @ApiPropertyOptional({ example: 72 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(24 * 90)
  returnWindowHours?: number;

  @ApiPropertyOptional({ example: 30, description: 'A buyer never buys the same person twice inside it' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(3650)
  dedupeWindowDays?: number;

  @ApiPropertyOptional({ example: 72 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(24 * 365)
  listingLifetimeHours?: number;

  @ApiPropertyOptional({ example: 10 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  returnCapPercent?: number;

  @ApiPropertyOptional({
    example: 2,
    description:
      "Share (whole percent) of each batch's accepted leads drawn for a contact check by the verification staff; 0 turns sampling off (docs/architecture.md §4.1)",
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  authenticitySamplePercent?: number;

  @ApiPropertyOptional({
    example: 2,
    description:
      "Share (whole percent) of each seller's source drawn for a contact check after the source's first authenticitySampleMin leads (all drawn), batches and posted leads alike; 0 turns per-source sampling off (docs/architecture.md §4.1)",
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  authenticitySourceSamplePercent?: number;

  @ApiPropertyOptional({
    example: 3,
    description:
      "The fewest leads a batch's sample draws (fewer only from a smaller batch), and a source's first leads, all drawn",
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1000)
  authenticitySampleMin?: number;

  @ApiPropertyOptional({
    example: 20,
    description:
      'Failures (unreachable or denied) above this share of a sample hold the rest of the batch from sale until an operator decides',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  authenticityHoldPercent?: number;

  @ApiPropertyOptional({
    example: 30,
    description:
      'A lead whose consent is older than this many days when it is verified is refused (consent_stale); ' +
      'never set: no limit',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3650)
  consentMaxAgeDays?: number;

  @ApiPropertyOptional({
    example: 10,
    description:
      "How long a ping's price stands, in seconds (default 10): a post listed later hears ping_expired",
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(300)
  pingTtlSeconds?: number;
}
