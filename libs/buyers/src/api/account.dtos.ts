import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, IsUrl, Length, Matches, Max, Min } from 'class-validator';

export class ConfirmDepositRequest {
  @ApiProperty({ example: 5000000, description: 'Minor units (50 000 RUB = 5000000)' })
  @IsInt()
  @Min(1)
  amount!: number;

  @ApiProperty({ example: 'RUB' })
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code such as RUB' })
  currency!: string;

  @ApiProperty({ example: 'bank-transfer-2025-06-01-0042', description: 'The payment provider’s reference' })
  @IsString()
  @Length(1, 200)
  reference!: string;

  @ApiPropertyOptional({
    description:
      'Makes the confirmation count once: the same id and amount again changes nothing (default: the reference)',
  })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_.:-]{1,160}$/, { message: 'depositId must be letters, digits and _.:-' })
  depositId?: string;
}

export class ConfigureWebhookRequest {
  @ApiProperty({ example: 'https://crm.example.com/hooks/leads', description: 'http or https only' })
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_tld: false },
    { message: 'url must be an http or https URL' },
  )
  url!: string;
}

export class RotateWebhookSecretRequest {
  @ApiPropertyOptional({
    example: 1440,
    description:
      'How long the previous secret still signs deliveries, in minutes (default 1440, at most 10080)',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10_080)
  overlapMinutes?: number;
}

export interface BalanceView {
  currency: string;
  available: number;
  reserved: number;
  deposited: number;
}

export interface AccountView {
  buyerId: string;
  balances: BalanceView[];
  webhook: { url: string } | null;
}
