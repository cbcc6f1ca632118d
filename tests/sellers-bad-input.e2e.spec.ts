import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { generateLeadRows, LEAD_COLUMNS, leadRowsToCsv, type LeadRow } from '#lx/market-generator';
import { startExchange, type RunningExchange } from './support/exchange.js';
import { registerParticipant, upload, waitForVerified, type Participant } from './support/sellers.js';
import { cleanEyewearRows } from './support/scenarios.js';

/** Whatever a seller sends, the answer is a 4xx with a clear message or row-level rejections: never a 5xx. */
describe('sellers: bad input', () => {
  let exchange: RunningExchange;
  let seller: Participant;
  const statuses: number[] = [];
  const rows = cleanEyewearRows('bad-input', 20, 1440);
  const send = async (body: string | Buffer, contentType = 'text/csv', query?: string) => {
    const result = await upload(exchange, {
      key: seller.apiKey,
      body,
      contentType,
      ...(query ? { query } : {}),
    });
    statuses.push(result.status);
    return result;
  };
  const refused = async (body: string | Buffer, status: number, code: string, contentType?: string) => {
    const result = await send(body, contentType);
    expect([result.status, result.body.type]).toEqual([status, `https://lead-exchange.dev/problems/${code}`]);
    expect(result.body.detail).toEqual(expect.any(String));
    return result;
  };
  const verdicts = async (body: string | Buffer, contentType?: string) => {
    const result = await send(body, contentType);
    expect(result.status).toBe(202);
    const { batch } = await waitForVerified(exchange, seller.apiKey, result.body.batchId);
    const report = await exchange.call('sellers', 'GET', `/v1/batches/${result.body.batchId}/rejections`, {
      key: seller.apiKey,
    });
    return {
      batch,
      rejections: new Map<number, string[]>(report.body.rows.map((r: any) => [r.line, r.reasons])),
    };
  };

  beforeAll(async () => {
    exchange = await startExchange('sellers_bad', {
      LX_RATE_LIMIT_PER_MINUTE: '100000',
      LX_UPLOAD_MAX_ROWS: '100',
      LX_UPLOAD_MAX_BYTES: String(3 * 1024 * 1024),
    });
    seller = await registerParticipant(exchange, 'seller', 'Careless Uploads SA');
  });
  afterAll(async () => exchange?.stop());

  it('refuses files that are not UTF-8 text', async () => {
    await refused(randomBytes(64 * 1024), 400, 'invalid-encoding');
    // Windows-1251 / Latin-1 bytes are not UTF-8.
    await refused(
      Buffer.concat([
        Buffer.from(leadRowsToCsv(rows.slice(0, 3))),
        Buffer.from([0xcf, 0xf0, 0xe8, 0xe2, 0xe5, 0xf2]),
      ]),
      400,
      'invalid-encoding',
    );
    await refused(
      Buffer.from(`\uFEFF${leadRowsToCsv(rows.slice(0, 3))}`, 'utf16le'),
      400,
      'invalid-encoding',
    );
  });

  it('refuses a missing header, unknown or missing columns, empty files and unreadable CSV', async () => {
    const csv = leadRowsToCsv(rows.slice(0, 3));
    await refused(csv.slice(csv.indexOf('\r\n') + 2), 422, 'missing-header');
    const unknown = await refused(
      csv.replace('external_id,', 'external_id,favourite_colour,'),
      422,
      'invalid-header',
    );
    expect(unknown.body.detail).toContain('favourite_colour');
    const missing = await refused(csv.replace('captured_at', 'captured'), 422, 'invalid-header');
    expect(missing.body.missingColumns).toEqual(['captured_at']);
    await refused('', 422, 'empty-upload');
    await refused(`${LEAD_COLUMNS.map((c) => c.name).join(',')}\r\n`, 422, 'empty-upload');
    await refused(`${csv}"unclosed,quote\r\n`, 400, 'malformed-csv');
    await refused(csv, 415, 'unsupported-media-type', 'application/octet-stream');
  });

  it('refuses invalid listing terms', async () => {
    const csv = leadRowsToCsv(rows.slice(0, 2));
    for (const query of [
      'vertical=eyewear&floor=100&exclusivity=shared',
      'vertical=eyewear&floor=100&exclusivity=shared&maxSales=11',
      'vertical=eyewear&floor=-1&exclusivity=exclusive',
      'vertical=Eye%20wear&floor=100&exclusivity=exclusive',
      'floor=100&exclusivity=exclusive',
    ])
      expect((await send(csv, 'text/csv', query)).status).toBe(400);
  });

  it('refuses files over the row or byte limit with 413 and lists nothing of them', async () => {
    const many = generateLeadRows({
      seed: 'many',
      count: 101,
      vertical: 'eyewear',
      capturedAround: new Date(),
    }).rows;
    await refused(leadRowsToCsv(many), 413, 'too-many-rows');
    await refused(leadRowsToCsv(rows.slice(0, 1)) + 'x'.repeat(3 * 1024 * 1024), 413, 'upload-too-large');
    const client = new pg.Client({ connectionString: exchange.database.url });
    await client.connect();
    try {
      const { rows: staged } = await client.query('SELECT count(*)::int AS n FROM lx_batch_staged_chunks');
      const { rows: submitted } = await client.query(
        `SELECT count(*)::int AS n FROM lx_events WHERE event_type = 'LeadBatchSubmitted' AND (data->>'rowCount')::int > 100`,
      );
      expect([staged[0].n, submitted[0].n]).toEqual([0, 0]);
    } finally {
      await client.end();
    }
  });

  it('reads embedded quotes, delimiters and newlines, and rejects a 1 MB cell and a short row by line', async () => {
    const tricky: LeadRow[] = [
      {
        ...rows[0]!,
        consent_text: 'He said "yes",\r\nthen; again "yes"\nend',
        address: 'ул. Ленина, д. 5; кв. "7"',
      },
      { ...rows[1]!, address: 'a'.repeat(1024 * 1024) },
      rows[2]!,
    ];
    const csv = `${leadRowsToCsv(tricky)}short-row,Ivan,Petrov\r\n`;
    const { batch, rejections } = await verdicts(csv);
    expect(batch.progress).toMatchObject({ accepted: 2, rejected: 2 });
    expect(rejections.get(3)).toEqual(['value_too_long']);
    expect(rejections.get(5)).toContain('wrong_column_count');
    const leads = await exchange.call('sellers', 'GET', `/v1/leads?batchId=${batch.batchId}`, {
      key: seller.apiKey,
    });
    const quoted = leads.body.items.find(
      (lead: any) => lead.personalData.externalId === rows[0]!.external_id,
    );
    expect(quoted.personalData.address).toBe('ул. Ленина, д. 5; кв. "7"');
  });

  it('keeps formula-looking cells as data and serves a rejection report no spreadsheet will execute', async () => {
    const formulas: LeadRow[] = [
      {
        ...rows[3]!,
        first_name: '=HYPERLINK("http://evil.example","click")',
        last_name: '+SUM(1,2)',
        address: '@cmd',
      },
      { ...rows[4]!, external_id: '-2+3', email: '=cmd|"/C calc"!A0' },
    ];
    const { batch } = await verdicts(leadRowsToCsv(formulas));
    expect(batch.progress).toMatchObject({ accepted: 1, rejected: 1 });
    const leads = await exchange.call('sellers', 'GET', `/v1/leads?batchId=${batch.batchId}`, {
      key: seller.apiKey,
    });
    expect(leads.body.items[0].personalData.firstName).toBe('=HYPERLINK("http://evil.example","click")');
    const csv = await (
      await fetch(`${exchange.url('sellers')}/v1/batches/${batch.batchId}/rejections.csv`, {
        headers: { authorization: `Bearer ${seller.apiKey}` },
      })
    ).text();
    for (const line of csv
      .replace(/^\uFEFF/, '')
      .split('\r\n')
      .filter(Boolean))
      for (const cell of line.split('","')) expect(cell.replace(/^"/, '')).not.toMatch(/^[=+\-@]/);
  });

  it('turns a file of only bad rows into row-level rejections and lists nothing', async () => {
    const bad = rows.slice(5, 10).map((row, index) => ({
      ...row,
      phone: 'not a phone',
      email: `broken${index}@@x`,
      captured_at: 'yesterday',
    }));
    const { batch, rejections } = await verdicts(leadRowsToCsv(bad, { delimiter: ';' }));
    expect(batch.progress).toMatchObject({ accepted: 0, rejected: 5 });
    expect(rejections.get(2)).toEqual(['invalid_date', 'invalid_email', 'invalid_phone']);
  });

  it('rejects malformed NDJSON lines and unknown keys row by row', async () => {
    const body = [
      JSON.stringify(rows[10]),
      '{not json',
      '[1,2]',
      JSON.stringify({ ...rows[11], colour: 'red' }),
      '',
      JSON.stringify({ ...rows[12], age: 'forty' }),
    ].join('\n');
    const { batch, rejections } = await verdicts(body, 'application/x-ndjson');
    expect(batch.progress).toMatchObject({ accepted: 1, rejected: 4 });
    expect(rejections.get(2)).toEqual(['malformed_record']);
    expect(rejections.get(3)).toEqual(['malformed_record']);
    expect(rejections.get(4)).toEqual(['unknown_field']);
    expect(rejections.get(6)?.length).toBeGreaterThan(0);
  });

  it('reads a stray quote inside an unquoted cell as part of the value, and refuses NDJSON sent as CSV', async () => {
    const quoted: LeadRow[] = [
      { ...rows[13]!, last_name: 'O"Brien' },
      { ...rows[14]!, address: '12" Tverskaya' },
    ];
    // As a hand-written file has them: the cells are not quoted.
    const csv = leadRowsToCsv(quoted)
      .replace('"O""Brien"', 'O"Brien')
      .replace('"12"" Tverskaya"', '12" Tverskaya');
    expect(csv).toContain(',O"Brien,');
    const { batch } = await verdicts(csv);
    expect(batch.progress).toMatchObject({ accepted: 2, rejected: 0 });
    const leads = await exchange.call('sellers', 'GET', `/v1/leads?batchId=${batch.batchId}`, {
      key: seller.apiKey,
    });
    expect(leads.body.items.map((lead: any) => lead.personalData.lastName)).toContain('O"Brien');
    expect(leads.body.items.map((lead: any) => lead.personalData.address)).toContain('12" Tverskaya');

    const ndjson = rows
      .slice(15, 16)
      .map((row) => JSON.stringify(row))
      .join('\n');
    await refused(ndjson, 422, 'missing-header', 'text/csv');
  });

  it('with an Idempotency-Key, the same file again is the same batch; another file or other terms are refused', async () => {
    const idempotencyKey = `upload-${randomBytes(6).toString('hex')}`;
    const file = leadRowsToCsv(rows.slice(16, 18));
    const keyed = async (body: string, query?: string) => {
      const result = await upload(exchange, {
        key: seller.apiKey,
        body,
        idempotencyKey,
        ...(query ? { query } : {}),
      });
      statuses.push(result.status);
      return result;
    };
    const batchCount = async () =>
      (await exchange.call('sellers', 'GET', '/v1/batches?limit=100', { key: seller.apiKey })).body.items
        .length;
    const first = await keyed(file);
    expect(first.status).toBe(202);
    await waitForVerified(exchange, seller.apiKey, first.body.batchId);
    const before = await batchCount();

    const again = await keyed(file);
    expect([again.status, again.body.batchId, again.body.status]).toEqual([
      202,
      first.body.batchId,
      'verified',
    ]);
    const otherFile = await keyed(leadRowsToCsv(rows.slice(18, 20)));
    expect([otherFile.status, otherFile.body.type, otherFile.body.differs]).toEqual([
      422,
      'https://lead-exchange.dev/problems/idempotency-key-reused',
      ['file'],
    ]);
    const otherTerms = await keyed(file, 'vertical=eyewear&floor=70000&exclusivity=exclusive');
    expect([otherTerms.status, otherTerms.body.differs]).toEqual([422, ['terms']]);
    expect(await batchCount()).toBe(before);

    const invalid = await upload(exchange, { key: seller.apiKey, body: file, idempotencyKey: 'not a key!' });
    expect([invalid.status, invalid.body.type]).toEqual([
      400,
      'https://lead-exchange.dev/problems/invalid-idempotency-key',
    ]);
  });

  it('never answered with a 5xx, and the app is still healthy', async () => {
    expect(statuses.length).toBeGreaterThan(15);
    expect(statuses.filter((status) => status >= 500)).toEqual([]);
    expect((await exchange.call('sellers', 'GET', '/health')).status).toBe(200);
  });
});
