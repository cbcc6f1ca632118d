import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, Length, ValidateNested } from 'class-validator';
import { Evidence } from '#lx/contracts';
import { CurrentPrincipal, PageQuery, Roles, type Principal, Answers, IdParam } from '#lx/http';
import { AnswerReturn } from '../application/seller-commands.js';
import { ListSellerReturns } from '../application/seller-reads.js';
import { ReturnResponseAnswer, SellerReturnsAnswer } from './responses.js';

class EvidenceItem {
  // The catalogue's evidence kinds: what the API accepts is what the log accepts.
  @ApiProperty({ enum: Evidence.shape.kind.options })
  @IsIn(Evidence.shape.kind.options)
  kind!: (typeof Evidence.shape.kind.options)[number];

  @ApiProperty({ minLength: 1, maxLength: 2000, description: 'What the evidence shows' })
  @IsString()
  @Length(1, 2000)
  description!: string;

  @ApiPropertyOptional({
    minLength: 1,
    maxLength: 500,
    description: 'Where it is kept (a ticket, a recording id)',
  })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  reference?: string;
}

export class RespondToReturnRequest {
  @ApiProperty({ enum: ['accept', 'contest'], description: 'Accept the return, or contest it' })
  @IsIn(['accept', 'contest'])
  position!: 'accept' | 'contest';

  @ApiProperty({ minLength: 1, maxLength: 4000, description: "The seller's statement" })
  @IsString()
  @Length(1, 4000)
  statement!: string;

  @ApiPropertyOptional({ type: () => [EvidenceItem], maxItems: 20 })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => EvidenceItem)
  evidence?: EvidenceItem[];
}

/** Returns buyers requested against the seller's leads, and the seller's answer to each. */
@ApiTags('sellers: returns')
@Roles('seller')
@Controller('v1/returns')
export class ReturnsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Returns buyers requested against my leads, and where each stands' })
  @Answers(SellerReturnsAnswer, { description: "Returns of the seller's leads, newest first" })
  async list(@Query() page: PageQuery, @CurrentPrincipal() seller: Principal) {
    return {
      items: await this.queries.execute(new ListSellerReturns(seller.participantId, page.limit ?? 100)),
    };
  }

  @Post(':allocationId/response')
  @Answers(ReturnResponseAnswer, { status: 201, description: "The seller's answer is recorded" })
  @ApiOperation({
    summary: 'Answer a return: accept it, or contest it with evidence (once, before the decision)',
  })
  async respond(
    @IdParam('allocationId') allocationId: string,
    @Body() body: RespondToReturnRequest,
    @CurrentPrincipal() seller: Principal,
  ) {
    if (!/^[A-Za-z0-9_.:-]{1,160}$/.test(allocationId)) allocationId = 'invalid';
    const { responded } = await this.commands.execute(
      new AnswerReturn(
        allocationId,
        seller.participantId,
        body.position,
        body.statement,
        body.evidence ?? [],
      ),
    );
    return { allocationId, responded, position: body.position };
  }
}
