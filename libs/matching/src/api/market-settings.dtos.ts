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
