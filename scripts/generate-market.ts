/**
 * Writes a reproducible synthetic market to a folder: the sellers' upload (leads.csv or
 * leads.ndjson), what verification should conclude about each row (leads.expected.ndjson)
 * and buyers' standing orders (orders.json).
 *
 *   npm run build && node dist/scripts/generate-market.js --seed 42 --leads 100000 \
 *     --out /tmp/market --format csv --country RU --vertical eyewear --orders 1000
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

import {
  VERTICALS,
  generateLeadRowsStream,
  generateOrderSpecs,
  writeLeadCsv,
  writeLeadNdjson,
  type Currency,
  type LeadKind,
  type LeadRowsOptions,
  type OrderSpec,
  type Vertical,
} from '#lx/market-generator';

const USAGE = `usage: generate-market --out DIR [options]
  --seed S                    seed, number or text (default 42)
  --leads N                   lead rows to write (default 10000)
  --format csv|ndjson         upload format (default csv)
  --delimiter , or ;          CSV delimiter (default ,)
  --bom                       start the CSV with a UTF-8 byte-order mark
  --country RU|ES|mixed       where the people live (default RU)
  --vertical V                ${VERTICALS.join('|')} (default eyewear)
  --orders N                  purchase orders to write (default 100)
  --captured-around ISO       the batch's "now" (default: the current time)
  --capture-window-minutes N  how far back captures go (default 1440)
  --partial-share X --duplicate-share X --bad-share X   row mix (defaults 0.2, 0.03, 0.05)`;

class UsageError extends Error {}

function integer(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 0)
    throw new UsageError(`--${name} must be a non-negative integer`);
  return value;
}

function fraction(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!(value >= 0 && value <= 1)) throw new UsageError(`--${name} must be between 0 and 1`);
  return value;
}

function oneOf<T extends string>(
  name: string,
  text: string | undefined,
  allowed: readonly T[],
  fallback: T,
): T {
  if (text === undefined) return fallback;
  if (!allowed.includes(text as T)) throw new UsageError(`--${name} must be one of ${allowed.join(', ')}`);
  return text as T;
}

function parseCommandLine() {
  const { values } = parseArgs({
    options: {
      seed: { type: 'string' },
      leads: { type: 'string' },
      out: { type: 'string' },
      format: { type: 'string' },
      delimiter: { type: 'string' },
      bom: { type: 'boolean' },
      country: { type: 'string' },
      vertical: { type: 'string' },
      orders: { type: 'string' },
      'captured-around': { type: 'string' },
      'capture-window-minutes': { type: 'string' },
      'partial-share': { type: 'string' },
      'duplicate-share': { type: 'string' },
      'bad-share': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) return undefined;
  if (!values.out) throw new UsageError('--out is required');
  const capturedAround = values['captured-around'] ? new Date(values['captured-around']) : new Date();
  if (Number.isNaN(capturedAround.getTime()))
    throw new UsageError('--captured-around must be an ISO 8601 date-time');
  const seedText = values.seed ?? '42';
  const leads: LeadRowsOptions = {
    seed: /^-?\d+$/.test(seedText) ? Number(seedText) : seedText,
    count: integer('leads', values.leads, 10_000),
    country: oneOf('country', values.country, ['RU', 'ES', 'mixed'] as const, 'RU'),
    vertical: oneOf<Vertical>('vertical', values.vertical, VERTICALS, 'eyewear'),
    capturedAround,
    captureWindowMinutes: integer('capture-window-minutes', values['capture-window-minutes'], 1440),
    partialShare: fraction('partial-share', values['partial-share']),
    duplicateShare: fraction('duplicate-share', values['duplicate-share']),
    badShare: fraction('bad-share', values['bad-share']),
  };
  return {
    leads,
    out: resolve(values.out),
    format: oneOf('format', values.format, ['csv', 'ndjson'] as const, 'csv'),
    delimiter: oneOf('delimiter', values.delimiter, [',', ';'] as const, ','),
    bom: values.bom ?? false,
    orders: integer('orders', values.orders, 100),
  };
}

type Settings = NonNullable<ReturnType<typeof parseCommandLine>>;

/** Leads and their verdicts come from one pass of the generator, so a million rows never sit in memory. */
async function writeLeads({ leads, out, format, delimiter, bom }: Settings) {
  const leadsPath = join(out, `leads.${format}`);
  const expectedPath = join(out, 'leads.expected.ndjson');
  const verdicts = createWriteStream(expectedPath, { encoding: 'utf8' });
  const kinds: Record<LeadKind, number> = { good: 0, partial: 0, duplicate: 0, bad: 0 };
  async function* rowsRecordingVerdicts() {
    for await (const { index, row, expected } of generateLeadRowsStream(leads)) {
      kinds[expected.kind]++;
      if (!verdicts.write(`${JSON.stringify({ index, external_id: row.external_id, ...expected })}\n`)) {
        await once(verdicts, 'drain');
      }
      yield row;
    }
  }
  const summary =
    format === 'csv'
      ? await writeLeadCsv(rowsRecordingVerdicts(), leadsPath, { delimiter, bom })
      : await writeLeadNdjson(rowsRecordingVerdicts(), leadsPath);
  verdicts.end();
  await once(verdicts, 'finish');
  return { leadsPath, expectedPath, summary, kinds };
}

function ordersFor({ leads, orders }: Settings): OrderSpec[] {
  const markets: Currency[] =
    leads.country === 'ES' ? ['EUR'] : leads.country === 'RU' ? ['RUB'] : ['RUB', 'EUR'];
  return markets.flatMap((currency, i) =>
    generateOrderSpecs({
      seed: `${leads.seed}/${currency}`,
      vertical: leads.vertical,
      currency,
      count: Math.floor(orders / markets.length) + (i < orders % markets.length ? 1 : 0),
    }),
  );
}

async function main() {
  let settings: Settings | undefined;
  try {
    settings = parseCommandLine();
  } catch (error) {
    if (!(error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')))
      throw error;
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (!settings) {
    console.log(USAGE);
    return;
  }
  await mkdir(settings.out, { recursive: true });
  const started = Date.now();
  const { leadsPath, expectedPath, summary, kinds } = await writeLeads(settings);
  const orders = ordersFor(settings);
  const ordersPath = join(settings.out, 'orders.json');
  await writeFile(ordersPath, `${JSON.stringify(orders, null, 2)}\n`);

  const { leads } = settings;
  const megabytes = (summary.bytes / 1e6).toFixed(1);
  const mix = Object.entries(kinds)
    .map(([kind, count]) => `${kind} ${count}`)
    .join(', ');
  const currencies = [...new Set(orders.map((order) => order.currency))].join(' + ');
  console.log(`wrote ${leadsPath}: ${summary.rows} rows, ${megabytes} MB (${mix})`);
  console.log(`wrote ${expectedPath}: the expected verdict of each row, by 0-based index`);
  console.log(
    `wrote ${ordersPath}: ${orders.length} ${leads.vertical} orders${currencies ? ` in ${currencies}` : ''}`,
  );
  console.log(
    `seed ${JSON.stringify(leads.seed)}, country ${leads.country}, captured around ${leads.capturedAround.toISOString()}` +
      ` (pass --captured-around ${leads.capturedAround.toISOString()} to reproduce), ${Date.now() - started} ms`,
  );
}

await main();
