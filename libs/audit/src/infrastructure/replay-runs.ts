import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  POSTGRES_POOL,
  runMigrationsOnPool,
  type SqlConnectionPool,
  type SqlMigration,
} from '#lx/event-store';
import type { ReplayProof } from '../application/replay-proof.js';
import type { ReplayRun, ReplayRunState } from '../application/replay-run.js';
import { oneReplayAtATime } from './one-replay-at-a-time.js';
import { replayInScratchProcess, type ReplayProgress } from './scratch-replay.js';

export type { ReplayRun, ReplayRunState };

const migrations: SqlMigration[] = [
  {
    id: '001-replay-runs',
    sql: `
CREATE TABLE lx_audit_replay_runs (
  id           text PRIMARY KEY,
  requested_by text NOT NULL,
  up_to        text,
  state        text NOT NULL,
  events_read  bigint NOT NULL DEFAULT 0,
  position     text,
  sequence     bigint,
  total        bigint,
  proof        jsonb,
  error        text,
  requested_at timestamptz NOT NULL DEFAULT now(),
  started_at   timestamptz,
  finished_at  timestamptz,
  heartbeat_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX lx_audit_replay_runs_recent ON lx_audit_replay_runs (requested_at DESC);`,
  },
];

/** A live run writes its heartbeat this often; one silent for three beats is no longer running. */
const HEARTBEAT_MS = 5_000;
const SILENT_AFTER = '15 seconds';
/** Progress is written at most this often (the scratch process tells it four times a second). */
const PROGRESS_EVERY_MS = 500;

const iso = (value: unknown) => (value ? new Date(value as string).toISOString() : null);
const count = (value: unknown) => (value === null || value === undefined ? null : Number(value));

/**
 * Replay proofs as runs an auditor starts and watches: each is a row in PostgreSQL (so any
 * instance of the settlement app answers for it) holding its state, its live progress and, at the
 * end, the proof. The replay itself runs in a scratch process, one at a time in the deployment.
 */
@Injectable()
export class ReplayRuns implements OnModuleInit, OnModuleDestroy {
  private readonly stopping = new AbortController();
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly dataSource: DataSource,
    /** The process's pool (the DataSource's own), to migrate the table as every table is migrated. */
    @Inject(POSTGRES_POOL) private readonly pool: SqlConnectionPool,
  ) {}

  async onModuleInit(): Promise<void> {
    await runMigrationsOnPool(this.pool, migrations, 'lx_audit_migrations');
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping.abort();
    // A run still queued waits on PostgreSQL's lock, which an abort cannot cut short: give the
    // running one a moment to record that it stopped, and leave the queued to the heartbeat.
    await Promise.race([
      Promise.allSettled([...this.running]),
      new Promise((resolve) => setTimeout(resolve, 2_000).unref()),
    ]);
  }

  /** Starts a replay in the background and answers at once with the run, queued. */
  async start(requestedBy: string, upTo: string | undefined): Promise<ReplayRun> {
    const id = randomUUID();
    await this.dataSource.query(
      `INSERT INTO lx_audit_replay_runs (id, requested_by, up_to, state) VALUES ($1, $2, $3, 'queued')`,
      [id, requestedBy, upTo ?? null],
    );
    const run = this.run(id, upTo).finally(() => this.running.delete(run));
    this.running.add(run);
    return (await this.get(id))!;
  }

  async get(id: string): Promise<ReplayRun | null> {
    const rows = (await this.dataSource.query(`${SELECT_RUN} WHERE id = $1`, [id])) as RunRow[];
    return rows[0] ? toRun(rows[0]) : null;
  }

  /** The latest runs, newest first. */
  async recent(limit: number): Promise<ReplayRun[]> {
    const rows = (await this.dataSource.query(`${SELECT_RUN} ORDER BY requested_at DESC, id LIMIT $1`, [
      limit,
    ])) as RunRow[];
    return rows.map(toRun);
  }

  private async run(id: string, upTo: string | undefined): Promise<void> {
    const beat = setInterval(() => {
      this.dataSource
        .query(`UPDATE lx_audit_replay_runs SET heartbeat_at = now() WHERE id = $1`, [id])
        .catch(() => undefined); // a missed beat only makes the run look silent sooner
    }, HEARTBEAT_MS);
    beat.unref();
    const progress = new ThrottledProgress((step) =>
      this.dataSource.query(
        `UPDATE lx_audit_replay_runs SET events_read = $2, position = $3, sequence = $4, total = $5 WHERE id = $1`,
        [id, step.eventsRead, step.position, step.sequence, step.total],
      ),
    );
    let finished = false;
    const finish = async (outcome: { proof: ReplayProof } | { error: unknown }) => {
      finished = true;
      await progress.flush().catch(() => undefined);
      if ('proof' in outcome) {
        await this.dataSource.query(
          `UPDATE lx_audit_replay_runs
              SET state = 'done', proof = $2, events_read = $3, finished_at = now(), heartbeat_at = now()
            WHERE id = $1`,
          [id, JSON.stringify(outcome.proof), outcome.proof.eventsRead],
        );
        return;
      }
      const stopped = this.stopping.signal.aborted;
      const { error } = outcome;
      await this.dataSource
        .query(`UPDATE lx_audit_replay_runs SET state = $2, error = $3, finished_at = now() WHERE id = $1`, [
          id,
          stopped ? 'interrupted' : 'failed',
          stopped
            ? 'The settlement app running this replay stopped; start the replay again'
            : error instanceof Error
              ? error.message
              : String(error),
        ])
        .catch(() => undefined); // the app is going down: the heartbeat's silence says the same
    };
    try {
      await oneReplayAtATime(
        async () => {
          const session = this.dataSource.createQueryRunner();
          await session.connect();
          return session;
        },
        // The run is finished (and recorded so) while it still holds the turn: the next run
        // starts after this one's end, as the runs' times then say.
        async () => {
          try {
            this.stopping.signal.throwIfAborted();
            await this.dataSource.query(
              `UPDATE lx_audit_replay_runs SET state = 'running', started_at = now() WHERE id = $1`,
              [id],
            );
            const proof = await replayInScratchProcess(
              upTo,
              (step) => progress.tell(step),
              this.stopping.signal,
            );
            await finish({ proof });
          } catch (error) {
            await finish({ error });
          }
        },
      );
    } catch (error) {
      // The turn itself could not be had (the database went away while queued); a run already
      // finished keeps its outcome when only giving the turn back failed.
      if (!finished) await finish({ error });
    } finally {
      clearInterval(beat);
    }
  }
}

const SELECT_RUN = `
SELECT id, requested_by, up_to, events_read, position, sequence, total, proof, error,
       requested_at, started_at, finished_at,
       CASE WHEN state IN ('queued', 'running') AND heartbeat_at < now() - interval '${SILENT_AFTER}'
            THEN 'interrupted' ELSE state END AS state
  FROM lx_audit_replay_runs`;

interface RunRow {
  id: string;
  requested_by: string;
  up_to: string | null;
  state: ReplayRunState;
  events_read: string;
  position: string | null;
  sequence: string | null;
  total: string | null;
  proof: ReplayProof | null;
  error: string | null;
  requested_at: string;
  started_at: string | null;
  finished_at: string | null;
}

function toRun(row: RunRow): ReplayRun {
  return {
    id: row.id,
    state: row.state,
    requestedBy: row.requested_by,
    upTo: row.up_to,
    requestedAt: iso(row.requested_at)!,
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
    progress: {
      eventsRead: Number(row.events_read),
      position: row.position,
      sequence: count(row.sequence),
      total: count(row.total),
    },
    proof: row.proof,
    error: row.state === 'interrupted' && !row.error ? 'The app running this replay stopped' : row.error,
  };
}

/** Writes the latest progress at most every PROGRESS_EVERY_MS, never two writes at once. */
class ThrottledProgress {
  private latest: ReplayProgress | null = null;
  private writing: Promise<unknown> | null = null;
  private lastWrite = 0;

  constructor(private readonly write: (step: ReplayProgress) => Promise<unknown>) {}

  tell(step: ReplayProgress): void {
    this.latest = step;
    if (this.writing || Date.now() - this.lastWrite < PROGRESS_EVERY_MS) return;
    void this.flush();
  }

  async flush(): Promise<void> {
    await this.writing;
    const step = this.latest;
    if (!step) return;
    this.latest = null;
    this.lastWrite = Date.now();
    this.writing = this.write(step)
      .catch(() => undefined) // progress is advisory: the proof at the end is what counts
      .finally(() => (this.writing = null));
    await this.writing;
  }
}
