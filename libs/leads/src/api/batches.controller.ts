import { Body, Controller, Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags, ApiBody, ApiConsumes } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import {
  csvDownload,
  CsvDialectQuery,
  CurrentPrincipal,
  decodeCursor,
  idempotencyKeyOf,
  IdParam,
  notFound,
  OwnIdempotency,
  PageQuery,
  ProblemException,
  Roles,
  toPage,
  type Principal,
  Answers,
  AnswersDocument,
} from '#lx/http';
import { REJECTION_REASONS, type RejectionReason } from '../domain/rejection-reasons.js';
import type { UploadFormat } from '../application/upload/parse-upload.js';
import { UploadBatch, WithdrawBatch } from '../application/seller-commands.js';
import { GetBatch, GetBatchRejections, ListBatches } from '../application/seller-reads.js';
import { csvDocument } from '#lx/csv';
import { problemOfUpload } from './problem-of-upload.js';
import { UploadTermsQuery, WithdrawRequest } from './upload.dtos.js';
import { BatchAnswer, BatchPage, BatchWithdrawn, RejectionsAnswer } from './responses.js';

const FORMATS: Record<string, UploadFormat> = {
  'text/csv': 'csv',
  'application/csv': 'csv',
  'application/x-ndjson': 'ndjson',
  'application/ndjson': 'ndjson',
  'application/jsonl': 'ndjson',
};

/** A seller's batches: upload, live verification progress, rejection reports, withdrawal. */
@ApiTags('sellers: batches')
@Roles('seller')
@Controller('v1/batches')
export class BatchesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @ApiConsumes('text/csv', 'application/x-ndjson')
  @ApiBody({
    description:
      'The file itself, as the whole body: CSV (RFC 4180, UTF-8 with or without BOM, comma or semicolon) or NDJSON. See GET /v1/upload-format for the columns and /v1/upload-format/template.csv for an example.',
    schema: { type: 'string', format: 'binary' },
  })
  @Answers(BatchAnswer, { status: 202, description: 'The batch, received and being verified' })
  @HttpCode(202)
  @OwnIdempotency()
  @ApiOperation({
    summary:
      'Upload a batch: the body is the file (text/csv or application/x-ndjson), the terms are in the query',
    description:
      'With an Idempotency-Key, a retried upload of the same file with the same terms answers with the batch the first one created; the same key with another file or other terms is refused (422 idempotency-key-reused), and while the first is still being received (409 upload-in-flight).',
  })
  async upload(
    @Query() terms: UploadTermsQuery,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
    @CurrentPrincipal() seller: Principal,
  ) {
    const mediaType = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    const format = FORMATS[mediaType];
    if (!format)
      throw new ProblemException(
        415,
        'unsupported-media-type',
        'Unsupported file type',
        'Send the file as text/csv or application/x-ndjson',
      );
    const idempotencyKey = idempotencyKeyOf(request);
    try {
      const { batchId } = await this.commands.execute(
        new UploadBatch({
          sellerId: seller.participantId,
          format,
          body: request,
          ...(idempotencyKey !== undefined ? { idempotencyKey } : {}),
          terms: {
            vertical: terms.vertical,
            floor: terms.floor,
            exclusivity:
              terms.exclusivity === 'shared'
                ? { kind: 'shared', maxSales: terms.maxSales! }
                : { kind: 'exclusive' },
            ...(terms.listingLifetimeHours ? { listingLifetimeHours: terms.listingLifetimeHours } : {}),
          },
        }),
      );
      response.setHeader('Location', `/v1/batches/${batchId}`);
      return this.get(batchId, seller);
    } catch (error) {
      // Whatever the client still sends is read and dropped, so that it gets the answer rather than a reset.
      if (!request.readableEnded) request.resume();
      throw problemOfUpload(error);
    }
  }

  @Get()
  @ApiOperation({ summary: 'My batches, newest first, with their verification progress' })
  @Answers(BatchPage, { description: "The seller's batches, newest first" })
  async list(@Query() page: PageQuery, @CurrentPrincipal() seller: Principal) {
    const limit = page.limit ?? 50;
    const cursor = decodeCursor(page.cursor, { submittedAt: 'instant', batchId: 'uuid' });
    const rows = await this.queries.execute(
      new ListBatches(seller.participantId, limit + 1, cursor ?? undefined),
    );
    return toPage(rows, limit, (last) => ({ submittedAt: last.submittedAt, batchId: last.batchId }));
  }

  @Get(':batchId')
  @Answers(BatchAnswer, { description: 'The batch and its verification progress' })
  @ApiOperation({ summary: 'A batch with its verification progress: share done and counts so far' })
  async get(@IdParam('batchId') batchId: string, @CurrentPrincipal() seller: Principal) {
    const batch = await this.queries.execute(new GetBatch(seller.participantId, batchId));
    if (!batch) throw notFound(`Batch ${batchId}`);
    return batch;
  }

  @Get(':batchId/rejections')
  @Answers(RejectionsAnswer, { description: 'Rejected rows with line and reasons' })
  @ApiOperation({ summary: 'Rejected rows with their line and reasons (JSON)' })
  async rejections(@IdParam('batchId') batchId: string, @CurrentPrincipal() seller: Principal) {
    const batch = await this.get(batchId, seller);
    const rows = await this.queries.execute(new GetBatchRejections(batchId));
    return {
      batchId,
      complete: batch.status !== 'verifying',
      rows: rows.map((row) => ({
        ...row,
        messages: row.reasons.map((r) => REJECTION_REASONS[r as RejectionReason] ?? r),
      })),
    };
  }

  @Get(':batchId/rejections.csv')
  @AnswersDocument(['text/csv'], 'The rejection report as CSV')
  @ApiOperation({
    summary: 'The rejection report as CSV: safe to open in a spreadsheet, or RFC 4180 for machines',
  })
  async rejectionsCsv(
    @IdParam('batchId') batchId: string,
    @Query() query: CsvDialectQuery,
    @CurrentPrincipal() seller: Principal,
    @Res({ passthrough: true }) response: Response,
  ): Promise<string> {
    await this.get(batchId, seller);
    csvDownload(response, `rejections-${batchId}.csv`);
    const rows = await this.queries.execute(new GetBatchRejections(batchId));
    return csvDocument(
      [
        ['Line in your file', 'Reason codes', 'What is wrong'],
        ...rows.map((row) => [
          row.line,
          row.reasons.join(' | '),
          row.reasons.map((r) => REJECTION_REASONS[r as RejectionReason] ?? r).join(' '),
        ]),
      ],
      query.dialect ?? 'spreadsheet',
    );
  }

  @Post(':batchId/withdraw')
  @Answers(BatchWithdrawn, { description: 'The batch is withdrawn' })
  @HttpCode(200)
  @ApiOperation({
    summary: 'Withdraw a verified batch: every lead of it still listed is withdrawn',
    description:
      'Sold-out leads keep their sales and their status `sold`; `leadsWithdrawn` counts only the leads taken off sale.',
  })
  async withdraw(
    @IdParam('batchId') batchId: string,
    @Body() body: WithdrawRequest,
    @CurrentPrincipal() seller: Principal,
  ) {
    const { leadsWithdrawn } = await this.commands.execute(
      new WithdrawBatch(batchId, seller.participantId, body.reason),
    );
    return { batchId, status: 'withdrawn', leadsWithdrawn };
  }
}
