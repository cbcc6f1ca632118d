import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageQuery } from '#lx/http';
import { IsIn, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import { ROLES, type Role } from '../domain/role.js';

export class RegisterParticipantRequest {
  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role!: Role;

  @ApiProperty({ example: 'Optika Premium LLC', description: "The organisation's name" })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiPropertyOptional({ example: 'RU', description: 'ISO 3166-1 alpha-2' })
  @IsOptional()
  @Matches(/^[A-Z]{2}$/, { message: 'country must be an ISO 3166-1 alpha-2 code such as RU or ES' })
  country?: string;
}

export class RevokeApiKeyRequest {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

export class SuspendParticipantRequest {
  @ApiProperty()
  @IsString()
  @Length(1, 1000)
  reason!: string;
}

export class ReinstateParticipantRequest {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  reason?: string;
}

export class ParticipantsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional()
  @IsIn(ROLES)
  role?: Role;
}

export interface ParticipantView {
  participantId: string;
  role: Role;
  name: string;
  suspended: boolean;
  apiKeys: { keyId: string; prefix: string; revoked: boolean; issuedAt: string }[];
}
