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
  processCpuSeconds,
} from './bench-support.js';

const ROWS = Number(process.env.LX_BENCH_ROWS ?? 100_000);
const root = fileURLToPath(new URL('../../', import.meta.url));
const capturedAround = new Date();

/**
 * The CPU seconds used by the PostgreSQL backends of the bench's databases (the log's and the
 * vault's) between `start()` and `stop()`, read from /proc/<pid>/stat at every `sample()`: a
 * backend's last reading counts, so one that ends between two samples loses at most an interval.
 */
function backendCpu(databaseUrl: string) {
  const database = new URL(databaseUrl).pathname.slice(1);
  const client = new pg.Client({ connectionString: databaseUrl });
  // The database is dropped with FORCE when a run fails: that ends this connection too.
  client.on('error', () => undefined);
  const first = new Map<number, number>();
  const last = new Map<number, number>();
  let started = false;
  const sample = async () => {
    const { rows } = await client.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE datname = ANY($1::text[]) AND pid <> pg_backend_pid()',
      [[database, `${database}_vault`]],
    );
    for (const { pid } of rows) {
      const seconds = processCpuSeconds(pid);
      if (seconds === null) continue;
      // A backend first seen after the start was born during the run: all of its time counts.
      if (!first.has(pid)) first.set(pid, started ? 0 : seconds);
      last.set(pid, seconds);
    }
  };
  return {
    async start() {
      await client.connect();
      await sample();
      started = true;
    },
    sample,
    async stop(): Promise<{ seconds: number; backends: number }> {
      await sample();
      await client.end();
      let seconds = 0;
      for (const [pid, at] of last) seconds += at - first.get(pid)!;
      return { seconds, backends: last.size };
    },
  };
}

/** Peak resident set of a process (VmHWM), in MB. */
function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? NaN) / 1024;
}

/** Resident set of a process now (VmRSS), in MB. */
function currentRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? NaN) / 1024;
}

/** Parsing and verifying the file in this process, no persistence: wall-clock and CPU ms. */
async function baseline(file: string): Promise<{ ms: number; cpuMs: number }> {
  const context = {
    now: capturedAround,
    vertical: 'eyewear',
    maxLeadAgeDays: 90,
    sellerId: 'bench-seller',
    checks: packagedContactChecks,
    fingerprints: new ContactFingerprinter(randomBytes(32).toString('hex')),
  };
  const start = now();
  const cpu = process.cpuUsage();
  let accepted = 0;
  for await (const record of parseUpload(createReadStream(file), 'csv', {
    maxRows: 10_000_000,
    maxBytes: 1e12,
  }))
    if (verifyLeadRow(record, context).accepted) accepted++;
  if (accepted === 0) throw new Error('baseline accepted nothing');
  const used = process.cpuUsage(cpu);
  return { ms: now() - start, cpuMs: (used.user + used.system) / 1000 };
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
    // The baseline runs before and after the pipeline, under the same load; its mean is compared.
    const loadAtStart = os.loadavg()[0]!;
    const before = await baseline(file);
    const result = await withFreshDatabase('bench_ingest', (db) => throughTheApp(db.url, file));
    const after = await baseline(file);
    const loadAtEnd = os.loadavg()[0]!;
    const baselineMs = (before.ms + after.ms) / 2;
    const baselineCpuMs = (before.cpuMs + after.cpuMs) / 2;
    const leadsPerSecond = (ROWS / result.listedMs) * 1000;
    const perRowUs = (cpuMs: number) => (cpuMs * 1000) / ROWS;
    const cpuUsPerRow = {
      baseline: round(perRowUs(baselineCpuMs)),
      sellers: round(perRowUs(result.cpuMs.sellers)),
      settlement: round(perRowUs(result.cpuMs.settlement)),
      postgres: round(perRowUs(result.cpuMs.postgres)),
      total: round(perRowUs(result.cpuMs.sellers + result.cpuMs.settlement + result.cpuMs.postgres)),
    };
    const goals = [
      atMost('upload → all verified and listed (s)', result.listedMs / 1000, 20),
      atLeast('leads/s', leadsPerSecond, 5000),
      atMost('peak RSS sellers app (MB)', result.rssMb.sellers, 400),
      atMost('peak RSS settlement app (MB)', result.rssMb.settlement, 400),
      atMost('peak RSS bench process (MB)', peakRssMb(process.pid), 400),
    ];
    const ms = (value: number) => `${formatNumber(value)} ms`;
    const us = (value: number) => `${formatNumber(value, 1)} µs`;
    console.log(`\n${formatNumber(ROWS)} rows, ${formatNumber(bytes / 1e6, 1)} MB CSV\n`);
    console.log(
      formatTable(
        ['measure', 'value'],
        [
          ['parse + verify, no persistence (baseline, before / after)', `${ms(before.ms)} / ${ms(after.ms)}`],
          ['HTTP upload received (staged, batch submitted)', ms(result.uploadMs)],
          ['upload → every row verified, LeadListed appended', ms(result.listedMs)],
          ['… until the seller read model shows it verified', ms(result.readModelMs)],
          ['pipeline / baseline (wall clock)', `${formatNumber(result.listedMs / baselineMs, 1)} x`],
          ['leads listed', formatNumber(result.accepted)],
          ['CPU per row: baseline (bench process)', us(cpuUsPerRow.baseline)],
          ['CPU per row: sellers app (upload → listed)', us(cpuUsPerRow.sellers)],
          ['CPU per row: settlement app (upload → listed)', us(cpuUsPerRow.settlement)],
          [`CPU per row: PostgreSQL backends (${result.backends} seen)`, us(cpuUsPerRow.postgres)],
          [
            'CPU per row: all three / baseline',
            `${formatNumber(cpuUsPerRow.total / cpuUsPerRow.baseline, 1)} x`,
          ],
          [
            'RSS sellers / settlement before the upload → peak',
            `${result.rssBeforeMb.sellers} → ${result.rssMb.sellers} / ${result.rssBeforeMb.settlement} → ${result.rssMb.settlement} MB`,
          ],
          ['load average (1 min) at start / end', `${round(loadAtStart)} / ${round(loadAtEnd)}`],
        ],
      ),
    );
    console.log(`\n${goalTable(goals)}\n`);
    printJsonLine({
      bench: 'ingest',
      rows: ROWS,
      bytes,
      baselineMs: round(baselineMs),
      baselineRunsMs: [round(before.ms), round(after.ms)],
      uploadMs: round(result.uploadMs),
      listedMs: round(result.listedMs),
      readModelMs: round(result.readModelMs),
      ratio: round(result.listedMs / baselineMs),
      leadsPerSecond: round(leadsPerSecond),
      accepted: result.accepted,
      cpuUsPerRow,
      cpuRatio: round(cpuUsPerRow.total / cpuUsPerRow.baseline),
      peakRssMb: { ...result.rssMb, bench: round(peakRssMb(process.pid)) },
      rssBeforeUploadMb: result.rssBeforeMb,
      loadAverage: { start: round(loadAtStart), end: round(loadAtEnd) },
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

    const cpuAt = (app: 'sellers' | 'settlement') => (processCpuSeconds(apps[app]!.pid!) ?? NaN) * 1000;
    const backends = backendCpu(databaseUrl);
    await backends.start();
    const cpuBefore = { sellers: cpuAt('sellers'), settlement: cpuAt('settlement') };
    // What the apps hold once started, before the upload: the part of the peak the upload did not cause.
    const rssBeforeMb = {
      sellers: round(currentRssMb(apps.sellers!.pid!)),
      settlement: round(currentRssMb(apps.settlement!.pid!)),
    };
    const start = now();
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        await backends.sample();
        await sleep(100);
      }
    })();
    let measured;
    try {
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
      const cpuMs = {
        sellers: cpuAt('sellers') - cpuBefore.sellers,
        settlement: cpuAt('settlement') - cpuBefore.settlement,
        postgres: 0,
      };
      measured = { uploadMs, listedMs, accepted, receipt, cpuMs };
    } finally {
      sampling = false;
      await sampler;
    }
    const { uploadMs, listedMs, accepted, receipt, cpuMs } = measured;
    const backendTotal = await backends.stop();
    cpuMs.postgres = backendTotal.seconds * 1000;
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
    return {
      uploadMs,
      listedMs,
      readModelMs,
      accepted,
      rssMb,
      rssBeforeMb,
      cpuMs,
      backends: backendTotal.backends,
    };
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
