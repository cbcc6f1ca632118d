/**
 * `npm run bench:ingest`: a 100 000-row generated CSV through the real HTTP upload of the sellers
 * app (its own process, verification worker inside) until every row is verified and every
 * LeadListed appended. Beside it, in the same run: parsing and verifying the same file in this
 * process with no persistence, so the cost of the pipeline shows as a ratio.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createReadStream, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { generateLeadRowsStream, writeLeadCsv } from '#lx/market-generator';
import { freePort } from '#lx/testing';
import {
  ContactFingerprinter,
  packagedContactChecks,
  parseUpload,
  verifyLeadRow,
} from '../libs/leads/src/index.js';
import {
  atLeast,
  atMost,
  formatNumber,
  formatTable,
  goalTable,
  machineInfo,
  now,
  printJsonLine,
  round,
  sleep,
  withFreshDatabase,
} from './bench-support.js';

const ROWS = Number(process.env.LX_BENCH_ROWS ?? 100_000);
const root = fileURLToPath(new URL('../../', import.meta.url));
const capturedAround = new Date();

/** Peak resident set of a process (VmHWM), in MB. */
function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? NaN) / 1024;
}

async function baseline(file: string): Promise<number> {
  const context = {
    now: capturedAround,
    vertical: 'eyewear',
    maxLeadAgeDays: 90,
    sellerId: 'bench-seller',
    checks: packagedContactChecks,
    fingerprints: new ContactFingerprinter(randomBytes(32).toString('hex')),
  };
  const start = now();
  let accepted = 0;
  for await (const record of parseUpload(createReadStream(file), 'csv', {
    maxRows: 10_000_000,
    maxBytes: 1e12,
  }))
    if (verifyLeadRow(record, context).accepted) accepted++;
  if (accepted === 0) throw new Error('baseline accepted nothing');
  return now() - start;
}

async function main(): Promise<void> {
  const file = `${os.tmpdir()}/lx-ingest-bench-${process.pid}.csv`;
  async function* rows() {
    const leads = generateLeadRowsStream({
      seed: 'bench-ingest',
      count: ROWS,
      vertical: 'eyewear',
      capturedAround,
      country: 'mixed',
    });
    for await (const lead of leads) yield lead.row;
  }
  await writeLeadCsv(rows(), file);
  const bytes = statSync(file).size;
  try {
    const baselineMs = await baseline(file);
    const result = await withFreshDatabase('bench_ingest', (db) => throughTheApp(db.url, file));
    const leadsPerSecond = (ROWS / result.listedMs) * 1000;
    const goals = [
      atMost('upload → all verified and listed (s)', result.listedMs / 1000, 20),
      atLeast('leads/s', leadsPerSecond, 5000),
      atMost('peak RSS sellers app (MB)', result.rssMb.sellers, 400),
      atMost('peak RSS settlement app (MB)', result.rssMb.settlement, 400),
      atMost('peak RSS bench process (MB)', peakRssMb(process.pid), 400),
    ];
    console.log(`\n${formatNumber(ROWS)} rows, ${formatNumber(bytes / 1e6, 1)} MB CSV\n`);
    console.log(
      formatTable(
        ['measure', 'value'],
        [
          ['parse + verify, no persistence (baseline)', `${formatNumber(baselineMs)} ms`],
          ['HTTP upload received (staged, batch submitted)', `${formatNumber(result.uploadMs)} ms`],
          ['upload → every row verified, LeadListed appended', `${formatNumber(result.listedMs)} ms`],
          ['… until the seller read model shows it verified', `${formatNumber(result.readModelMs)} ms`],
          ['pipeline / baseline', `${formatNumber(result.listedMs / baselineMs, 1)} x`],
          ['leads listed', formatNumber(result.accepted)],
        ],
      ),
    );
    console.log(`\n${goalTable(goals)}\n`);
    printJsonLine({
      bench: 'ingest',
      rows: ROWS,
      bytes,
      baselineMs: round(baselineMs),
      uploadMs: round(result.uploadMs),
      listedMs: round(result.listedMs),
      readModelMs: round(result.readModelMs),
      ratio: round(result.listedMs / baselineMs),
      leadsPerSecond: round(leadsPerSecond),
      accepted: result.accepted,
      peakRssMb: { ...result.rssMb, bench: round(peakRssMb(process.pid)) },
      goals,
      machine: machineInfo(),
    });
  } finally {
    rmSync(file, { force: true });
  }
}

async function throughTheApp(databaseUrl: string, file: string) {
  const ports = { sellers: await freePort(), settlement: await freePort() };
  const operatorKey = `op_${randomBytes(24).toString('base64url')}`;
  const env = {
    ...process.env,
    LX_DATABASE_URL: databaseUrl,
    LX_REDIS_PREFIX: `lxbench:ingest:${randomBytes(4).toString('hex')}`,
    LX_OPERATOR_API_KEY: operatorKey,
    LX_SELLERS_PORT: String(ports.sellers),
    LX_SETTLEMENT_PORT: String(ports.settlement),
    LX_LOG_LEVEL: 'warn',
    LX_UPLOAD_MAX_BYTES: String(2 * 1024 ** 3),
  };
  const apps: Record<string, ChildProcess> = {};
  const url = (app: 'sellers' | 'settlement') => `http://127.0.0.1:${ports[app]}`;
  try {
    for (const app of ['settlement', 'sellers'] as const) {
      apps[app] = spawn(process.execPath, [`${root}dist/apps/${app}/src/main.js`], {
        env,
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      for (let healthy = false; !healthy; await sleep(200))
        healthy = await fetch(`${url(app)}/health`).then(
          (r) => r.ok,
          () => false,
        );
    }
    const call = async (path: string, body?: unknown) => {
      const response = await fetch(`${url('settlement')}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${operatorKey}`, 'content-type': 'application/json' },
        body: JSON.stringify(body ?? {}),
      });
      return (await response.json()) as Record<string, string>;
    };
    const { participantId } = await call('/v1/participants', { role: 'seller', name: 'Bench Leads' });
    const { apiKey } = await call(`/v1/participants/${participantId}/api-keys`);

    const start = now();
    const response = await fetch(
      `${url('sellers')}/v1/batches?vertical=eyewear&floor=60000&exclusivity=exclusive`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'text/csv' },
        body: Readable.toWeb(createReadStream(file)) as ReadableStream,
        duplex: 'half',
      } as RequestInit,
    );
    const receipt = (await response.json()) as { batchId: string };
    if (response.status !== 202) throw new Error(`upload failed: ${JSON.stringify(receipt)}`);
    const uploadMs = now() - start;

    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    let accepted = 0;
    try {
      for (;;) {
        const { rows } = await client.query(
          'SELECT status, accepted FROM lx_batch_verification WHERE batch_id = $1',
          [receipt.batchId],
        );
        if (rows[0]?.status === 'verified') {
          accepted = rows[0].accepted;
          break;
        }
        await sleep(50);
      }
    } finally {
      await client.end();
    }
    const listedMs = now() - start;
    for (;;) {
      const batch = (await (
        await fetch(`${url('sellers')}/v1/batches/${receipt.batchId}`, {
          headers: { authorization: `Bearer ${apiKey}` },
        })
      ).json()) as { status: string };
      if (batch.status === 'verified') break;
      await sleep(100);
    }
    const readModelMs = now() - start;
    const rssMb = {
      sellers: round(peakRssMb(apps.sellers!.pid!)),
      settlement: round(peakRssMb(apps.settlement!.pid!)),
    };
    return { uploadMs, listedMs, readModelMs, accepted, rssMb };
  } finally {
    await Promise.all(
      Object.values(apps).map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
            setTimeout(() => child.kill('SIGKILL'), 5000).unref();
          }),
      ),
    );
  }
}

await main();
