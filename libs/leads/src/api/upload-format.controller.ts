import { Controller, Get, Header } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { LEAD_COLUMNS, leadRowsToCsv, type LeadRow } from '#lx/market-generator';
import { Roles, Answers, AnswersDocument } from '#lx/http';
import { REJECTION_REASONS } from '../domain/rejection-reasons.js';
import { UploadFormatAnswer } from './responses.js';

/** The example row, captured a few minutes before the template is fetched so it uploads as it is. */
const example = (now: Date): LeadRow => ({
  external_id: 'your-id-0001',
  first_name: 'Анна',
  last_name: 'Смирнова',
  email: 'anna.smirnova@example.ru',
  phone: '+7 916 123-45-67',
  date_of_birth: '1988-04-12',
  gender: 'female',
  country: 'RU',
  region: 'RU-MOW',
  postal_code: '123456',
  address: 'ул. Тверская, 1, Москва',
  employment: 'employed',
  marital_status: 'married',
  interests: ['premium_glasses'],
  stage: 'MQL',
  source_channel: 'search',
  captured_at: minutesBefore(now, 10),
  capture_ip: '95.31.18.7',
  consent_text_version: 'v3',
  consent_text: 'Я согласен(на) на обработку персональных данных и звонок от "Оптика Плюс".',
  consent_page_url: 'https://example.ru/landing',
  consent_captured_at: minutesBefore(now, 11),
  consent_sellers_named: ['Оптика Плюс'],
  source: 'google-ads',
  sub_source: 'brand',
});

const minutesBefore = (now: Date, minutes: number) =>
  new Date(Math.floor(now.getTime() / 60_000) * 60_000 - minutes * 60_000)
    .toISOString()
    .replace('.000Z', 'Z');

/** The upload format, documented from the one definition the generator and the parser share. */
@ApiTags('sellers: upload format')
@Roles('seller', 'operator')
@Controller('v1/upload-format')
export class UploadFormatController {
  @Get()
  @Answers(UploadFormatAnswer, { description: 'The upload format' })
  @ApiOperation({
    summary: 'The upload columns (required, optional, accepted values) and the rejection reasons',
  })
  describe() {
    return {
      formats: ['text/csv (RFC 4180, UTF-8 with or without BOM, comma or semicolon)', 'application/x-ndjson'],
      lines: 'CSV: the header is line 1, each record counts one line; NDJSON: one record per line',
      columns: LEAD_COLUMNS,
      rejectionReasons: REJECTION_REASONS,
    };
  }

  @Get('template.csv')
  @ApiOperation({ summary: 'A CSV template: the header and one example row, ready to upload' })
  @AnswersDocument(['text/csv'], 'A CSV with the header and one example row, ready to upload')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @Header('Content-Disposition', 'attachment; filename="lead-upload-template.csv"')
  template(): string {
    return leadRowsToCsv([example(new Date())], { bom: true });
  }
}
